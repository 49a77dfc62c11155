package dev.vigil.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.operator.Operator;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.api.SentinelSpec;
import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyBackupSchedule;
import dev.vigil.operator.api.ValkeyBackupSpec;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.reconcile.FakeMasters;
import dev.vigil.operator.reconcile.RecordingCommands;
import dev.vigil.operator.reconcile.CreateOrReplaceApplier;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC covers exactly what the operator calls: the operator runs its whole life cycle
 * against the mock API server, every request is recorded and mapped to (group, resource, verb),
 * and the chart's rules must allow each one and grant nothing else, but for two documented
 * production-only needs: {@code patch} wherever the tests' create-or-replace did an
 * {@code update} (production uses server-side apply, a PATCH), {@code update} on
 * {@code valkeyclusters/finalizers} and {@code valkeybackups/finalizers} (owner references with
 * blockOwnerDeletion require it where the OwnerReferencesPermissionEnforcement admission plugin
 * runs), and {@code update} on the
 * Lease (taking over another replica's expired Lease).
 */
@EnableKubernetesMockClient(crud = true)
class RbacTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  @Test
  void theChartGrantsExactlyWhatTheOperatorCalls() throws Exception {
    OperatorConfig config = OperatorConfig.from(Map.of("POD_NAMESPACE", "ops", "POD_NAME", "op",
        "VIGIL_OPERATOR_METRICS_PORT", "0", "VIGIL_OPERATOR_RESYNC", "1s"));
    // The test acts through its own client, marked, so only the operator's requests count.
    KubernetesClient tc = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
        .withCustomHeaders(Map.of("X-Test", "test")).build()).build();
    // No daemon runs here: they would agree that pod 0 (10.1.0.10) is master (a roll waits for it).
    Operator.TrackerFactory daemonsAgree = (loops, listener, resync) ->
        new FakeMasters().everyone(new HostPort("10.1.0.10", 6379));
    try (Operator op = new Operator(client, config, new CreateOrReplaceApplier(client), Endpoints.POD_IPS,
        daemonsAgree, resp -> new RecordingCommands())) {
      Thread t = new Thread(() -> {
        try {
          op.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      t.setDaemon(true);
      t.start();
      ValkeyCluster c = new ValkeyCluster();
      c.setMetadata(new ObjectMetaBuilder().withName("life").withNamespace("apps").build());
      tc.resources(ValkeyCluster.class).inNamespace("apps").resource(c).create();
      await().atMost(Duration.ofSeconds(20)).until(() ->
          tc.secrets().inNamespace("apps").withName("life-connection").get() != null);
      tc.services().inNamespace("apps").withName("life").edit(s -> {
        s.getSpec().setType("NodePort");
        return s;
      });
      // Drift on an object without an informer is repaired at the periodic resync.
      tc.serviceAccounts().inNamespace("apps").withName("life").edit(sa -> {
        sa.getMetadata().getLabels().remove("app.kubernetes.io/component");
        return sa;
      });
      await().atMost(Duration.ofSeconds(20)).until(() -> tc.serviceAccounts().inNamespace("apps")
          .withName("life").get().getMetadata().getLabels().containsKey("app.kubernetes.io/component"));
      tc.policy().v1().podDisruptionBudget().inNamespace("apps").withName("life").edit(pdb -> {
        pdb.getSpec().setMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString(2));
        return pdb;
      });
      await().atMost(Duration.ofSeconds(20)).until(() -> tc.policy().v1().podDisruptionBudget()
          .inNamespace("apps").withName("life").get().getSpec().getMaxUnavailable().getIntVal() == 1);
      // Pods appear (as the StatefulSet controller would make them); an image change then rolls
      // them: the operator deletes an outdated replica pod.
      var pods = new dev.vigil.operator.reconcile.FakeStatefulSetController(tc, i -> "10.1.0." + (10 + i));
      pods.sync("apps");
      backupLifeCycle(tc);
      scheduleLifeCycle(tc);
      editCluster(tc, newImage -> {
        newImage.getSpec().image = "valkey/valkey:8.1.1";
        newImage.getSpec().port = 6380;
        return newImage;
      });
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        pods.sync("apps");
        return tc.pods().inNamespace("apps").withLabel("app.kubernetes.io/instance", "life").list()
            .getItems().stream().anyMatch(p -> p.getSpec().getContainers().get(0).getImage().endsWith("8.1.1"));
      });
      // TLS through cert-manager: the operator creates the Certificate, and deletes it when
      // TLS goes off again. Pods run: TLS comes as a migration, the change a running cluster takes.
      editCluster(tc, tls -> {
        tls.getSpec().tls.enabled = true;
        tls.getSpec().tls.plaintext = true;
        tls.getSpec().tls.port = 6381; // spec.port is 6380 since the edit above
        tls.getSpec().tls.issuerRef = new dev.vigil.operator.api.TlsSpec.IssuerRef();
        tls.getSpec().tls.issuerRef.name = "corp-ca";
        return tls;
      });
      var certificates = tc.resources(io.fabric8.certmanager.api.model.v1.Certificate.class).inNamespace("apps");
      await().atMost(Duration.ofSeconds(20)).until(() -> certificates.withName("life-tls").get() != null
          && tc.resources(ValkeyCluster.class).inNamespace("apps").withName("life").get().getStatus().tls != null);
      assertThat(certificates.withName("life-tls").get().getSpec().getDnsNames())
          .contains("life.apps.svc", "*.life-headless.apps.svc");
      assertThat(tc.apps().statefulSets().inNamespace("apps").withName("life").get().getSpec().getTemplate()
          .getSpec().getVolumes()).filteredOn(v -> v.getName().equals("tls")).singleElement()
          .satisfies(v -> assertThat(v.getProjected().getSources().get(0).getSecret().getName()).isEqualTo("life-tls"));
      editCluster(tc, moreNames -> {
        moreNames.getSpec().tls.dnsNames.add("life.example.com");
        return moreNames;
      });
      await().atMost(Duration.ofSeconds(20)).until(() ->
          certificates.withName("life-tls").get().getSpec().getDnsNames().contains("life.example.com"));
      editCluster(tc, plain -> {
        plain.getSpec().tls.enabled = false;
        return plain;
      });
      await().atMost(Duration.ofSeconds(20)).until(() -> certificates.withName("life-tls").get() == null);
      editCluster(tc, invalid -> {
        invalid.getSpec().config.put("port", "1");
        return invalid;
      });
      await().atMost(Duration.ofSeconds(20)).until(() -> "Invalid".equals(
          tc.resources(ValkeyCluster.class).inNamespace("apps").withName("life").get().getStatus().phase));
      editCluster(tc, deploymentMode -> {
        deploymentMode.getSpec().sentinel.mode = SentinelSpec.Mode.deployment;
        deploymentMode.getSpec().replicas = 1;
        deploymentMode.getSpec().config.remove("port");
        return deploymentMode;
      });
      await().atMost(Duration.ofSeconds(20)).until(() ->
          tc.apps().deployments().inNamespace("apps").withName("life-sentinel").get() != null
              && tc.policy().v1().podDisruptionBudget().inNamespace("apps").withName("life").get() == null);
      editCluster(tc, more -> {
        more.getSpec().sentinel.replicas = 5;
        return more;
      });
      await().atMost(Duration.ofSeconds(20)).until(() ->
          tc.apps().deployments().inNamespace("apps").withName("life-sentinel").get().getSpec().getReplicas() == 5);
      editCluster(tc, back -> {
        back.getSpec().sentinel.mode = SentinelSpec.Mode.sidecar;
        return back;
      });
      await().atMost(Duration.ofSeconds(20)).until(() ->
          tc.apps().deployments().inNamespace("apps").withName("life-sentinel").get() == null);
      tc.resources(ValkeyCluster.class).inNamespace("apps").withName("life").delete();
      await().atMost(Duration.ofSeconds(20)).until(() ->
          tc.apps().statefulSets().inNamespace("apps").withName("life").get() == null
              && tc.serviceAccounts().inNamespace("apps").withName("life").get() == null);
    }

    Map<String, Set<String>> used = new TreeMap<>();
    RecordedRequest r;
    while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      String[] access = access(r);
      // The test itself drives the cluster through the same server: count only the operator's.
      if (access != null && !"test".equals(r.getHeader("X-Test"))) {
        used.computeIfAbsent(access[0], k -> new TreeSet<>()).add(access[1]);
      }
    }
    Map<String, Set<String>> granted = new TreeMap<>();
    for (PolicyRule rule : ChartTest.grantedRules()) {
      for (String g : rule.getApiGroups()) {
        for (String res : rule.getResources()) {
          granted.computeIfAbsent(g + "/" + res, k -> new TreeSet<>()).addAll(rule.getVerbs());
        }
      }
    }
    Map<String, Set<String>> expected = new TreeMap<>();
    used.forEach((res, verbs) -> {
      Set<String> v = new TreeSet<>(verbs);
      if (v.contains("update") && !res.endsWith("/status") && !res.startsWith("coordination.k8s.io")) {
        v.add("patch");
      }
      expected.put(res, v);
    });
    expected.put("vigil.dev/valkeyclusters/finalizers", new TreeSet<>(Set.of("update")));
    // Backup Jobs are owned with blockOwnerDeletion too.
    expected.put("vigil.dev/valkeybackups/finalizers", new TreeSet<>(Set.of("update")));
    // A status write that meets a conflict reads the schedule again.
    expected.computeIfAbsent("vigil.dev/valkeybackupschedules", k -> new TreeSet<>()).add("get");
    // Renewing its own Lease is a PATCH; taking over another holder's expired Lease may be a PUT.
    expected.get("coordination.k8s.io/leases").add("update");
    for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
      assertThat(granted.get(e.getKey())).as("chart rule for " + e.getKey()).isNotNull();
    }
    assertThat(granted.keySet()).as("resources granted but never called")
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map.Entry<String, Set<String>> e : granted.entrySet()) {
      assertThat(e.getValue()).as("verbs on " + e.getKey())
          .containsExactlyInAnyOrderElementsOf(expected.get(e.getKey()));
    }
    tc.close();
  }

  /**
   * A ValkeyBackup with deletionPolicy Delete from start to deletion: finalizer, Job, status from
   * the Job's outcome (set here as the Job controller and kubelet would), the deletion Job.
   */
  private static void backupLifeCycle(KubernetesClient tc) {
    ValkeyBackup b = new ValkeyBackup();
    b.setMetadata(new ObjectMetaBuilder().withName("snap").withNamespace("apps").build());
    b.getSpec().cluster = "life";
    b.getSpec().destination.bucket = "backups";
    b.getSpec().deletionPolicy = ValkeyBackupSpec.DeletionPolicy.Delete;
    var backups = tc.resources(ValkeyBackup.class).inNamespace("apps");
    backups.resource(b).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> tc.batch().v1().jobs().inNamespace("apps")
        .withName("snap-backup").get() != null);
    finish(tc, "snap-backup", "{\"objectKey\":\"snap.rdb\",\"size\":1}");
    await().atMost(Duration.ofSeconds(20)).until(() -> backups.withName("snap").get().getStatus() != null
        && "Completed".equals(backups.withName("snap").get().getStatus().phase));
    backups.withName("snap").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> tc.batch().v1().jobs().inNamespace("apps")
        .withName("snap-delete").get() != null);
    finish(tc, "snap-delete", "");
    await().atMost(Duration.ofSeconds(20)).until(() -> backups.withName("snap").get() == null);
  }

  /**
   * A schedule with keepLast 1 over two completed backups of its own prunes the older; once a
   * time is due (its last handled time set back here) it creates a backup.
   */
  private static void scheduleLifeCycle(KubernetesClient tc) {
    var backups = tc.resources(ValkeyBackup.class).inNamespace("apps");
    for (String name : new String[] {"old", "new"}) {
      ValkeyBackup b = new ValkeyBackup();
      b.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("apps")
          .withLabels(Map.of(ValkeyBackupSchedule.LABEL, "every-minute")).build());
      b.getSpec().cluster = "nope";
      b.getSpec().destination.bucket = "backups";
      backups.resource(b).create();
      // Once the operator said it waits (for a cluster that does not exist), it writes no more:
      // the status set here, as a finished backup's, stays.
      await().atMost(Duration.ofSeconds(20)).until(() -> backups.withName(name).get().getStatus() != null
          && backups.withName(name).get().getStatus().reason != null);
      backups.withName(name).editStatus(x -> {
        x.getStatus().phase = "Completed";
        x.getStatus().completionTime = name.equals("old") ? "2026-01-01T00:00:00Z" : "2026-01-02T00:00:00Z";
        return x;
      });
    }
    ValkeyBackupSchedule s = new ValkeyBackupSchedule();
    s.setMetadata(new ObjectMetaBuilder().withName("every-minute").withNamespace("apps").build());
    s.getSpec().schedule = "* * * * *";
    s.getSpec().keepLast = 1;
    s.getSpec().backup.cluster = "nope";
    s.getSpec().backup.destination.bucket = "backups";
    var schedules = tc.resources(ValkeyBackupSchedule.class).inNamespace("apps");
    schedules.resource(s).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> backups.withName("old").get() == null
        && schedules.withName("every-minute").get().getStatus() != null);
    schedules.withName("every-minute").editStatus(x -> {
      x.getStatus().lastScheduleTime = "2026-01-01T00:00:00Z";
      return x;
    });
    // Due now; and should an operator status write have raced the edit above, due at the next
    // minute anyway.
    await().atMost(Duration.ofSeconds(75)).until(() -> backups.list().getItems().stream()
        .anyMatch(b -> b.getMetadata().getName().startsWith("every-minute-")));
  }

  /** A Job's pod ends with exit 0 and {@code message}; then the Job completes. */
  private static void finish(KubernetesClient tc, String jobName, String message) {
    var jobs = tc.batch().v1().jobs().inNamespace("apps");
    var job = jobs.withName(jobName).get();
    tc.pods().inNamespace("apps").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
        .withName(jobName + "-1").withNamespace("apps").withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
        .endMetadata().withNewStatus().addNewContainerStatus().withName("agent").withNewState().withNewTerminated()
        .withExitCode(0).withMessage(message).endTerminated().endState().endContainerStatus().endStatus().build())
        .create();
    job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withSucceeded(1)
        .addNewCondition().withType("Complete").withStatus("True").endCondition().build());
    jobs.resource(job).updateStatus();
  }

  /**
   * A spec change as a user makes it: optimistic concurrency, so a 409 (the operator just wrote
   * the status) means read again and reapply.
   */
  private static void editCluster(KubernetesClient tc, java.util.function.UnaryOperator<ValkeyCluster> change) {
    for (int attempt = 0; ; attempt++) {
      try {
        ValkeyCluster c = tc.resources(ValkeyCluster.class).inNamespace("apps").withName("life").get();
        tc.resources(ValkeyCluster.class).inNamespace("apps").resource(change.apply(c)).update();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 20) {
          throw e;
        }
      }
    }
  }

  /** {group/resource[/subresource], verb} of an API request, or null for discovery and the like. */
  static String[] access(RecordedRequest r) {
    String path = r.getPath().split("\\?", 2)[0];
    String query = r.getPath().contains("?") ? r.getPath().split("\\?", 2)[1] : "";
    String[] p = path.substring(1).split("/");
    int i;
    String group;
    if (p[0].equals("api") && p.length >= 3) {
      group = "";
      i = 2;
    } else if (p[0].equals("apis") && p.length >= 4) {
      group = p[1];
      i = 3;
    } else {
      return null;
    }
    if (p[i].equals("namespaces") && p.length > i + 2) {
      i += 2;
    } else if (p[i].equals("namespaces")) {
      return null;
    }
    String resource = p[i];
    String name = p.length > i + 1 ? p[i + 1] : null;
    String sub = p.length > i + 2 ? p[i + 2] : null;
    String verb = switch (r.getMethod()) {
      case "GET" -> name != null ? "get" : query.contains("watch=true") ? "watch" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name != null ? "delete" : "deletecollection";
      default -> r.getMethod();
    };
    return new String[] {group + "/" + resource + (sub != null ? "/" + sub : ""), verb};
  }
}
