package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.backup.cli.BackupCli;
import dev.vigil.operator.api.S3Destination;
import dev.vigil.operator.api.TlsSpec;
import dev.vigil.operator.api.ValkeyBackup;
import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.model.AuthSecretModel;
import dev.vigil.operator.model.BackupJobModel;
import dev.vigil.operator.model.CertificateModel;
import dev.vigil.operator.model.ConfigMapModel;
import dev.vigil.operator.model.ModelInput;
import dev.vigil.operator.model.Names;
import dev.vigil.operator.model.RestoreSource;
import dev.vigil.operator.model.StatefulSetModel;
import dev.vigil.operator.model.TlsParts;
import dev.vigil.testkit.TestCertificates;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * tlsEverywhereWhenOn for the backup Job, end to end: the real agent ({@code vigil backup}, in its
 * own JVM as in its container) runs with exactly the arguments, environment and files the Job
 * that {@link BackupJobModel} builds gives it, against a real TLS-only Valkey configured with the
 * TLS lines of the cluster's ConfigMap and a certificate made as cert-manager's Certificate asks
 * (its names, ECDSA, PKCS#8), and S3 in-process. What a cluster would supply is supplied the way
 * the kubelet does: Secret items written as files where the volumes project them, mount paths
 * mapped to directories, environment from Secret keys, and the pod's DNS name resolving to the
 * node (a hosts file for the agent's JVM), so the agent checks the node's name against the
 * certificate as it does in the cluster. Then the restore init container's arguments fetch it
 * back and a fresh server loads it.
 */
class BackupJobOverTlsTest {
  private static final String NS = "ns";
  private static final String PASSWORD = "group-pw";
  private static final String ACCESS = "vigil-access";
  private static final String SECRET = "vigil-secret-key";
  private static final String BUCKET = "backups";
  private static final String AGENT_IMAGE = "vigil-backup:test";

  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @TempDir Path tmp;

  private BlobStoreContext blobs;
  private S3Proxy s3;

  @BeforeEach
  void startS3() throws Exception {
    blobs = ContextBuilder.newBuilder("transient").credentials(ACCESS, SECRET).build(BlobStoreContext.class);
    blobs.getBlobStore().createContainerInLocation(null, BUCKET);
    s3 = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
    s3.start();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> s3.getState().equals("STARTED"));
  }

  @AfterEach
  void stopS3() throws Exception {
    s3.stop();
    blobs.close();
  }

  @Test
  void mutualTlsBackupWithTheJobsArgumentsRestoresTheSameData() throws Exception {
    Run run = backupOf(TlsSpec.ClientAuth.required);
    assertThat(run.args()).contains("--tls-cert", "--tls-key");
    assertThat(run.agent().exit()).as(run.agent().log()).isZero();
    assertRestored(run);

    // The client certificate is what lets it in: without it the node refuses the handshake.
    List<String> noCert = new ArrayList<>(run.args());
    int at = noCert.indexOf("--tls-cert");
    noCert.subList(at, at + 4).clear();
    Agent refused = agent(noCert, run.env(), run.hosts(), "no-cert");
    assertThat(refused.exit()).as(refused.log()).isEqualTo(1);
  }

  @Test
  void serverOnlyTlsBackupNeedsOnlyTheCaBundle() throws Exception {
    Run run = backupOf(TlsSpec.ClientAuth.none);
    assertThat(run.args()).contains("--tls", "--cacert").doesNotContain("--tls-cert", "--tls-key");
    assertThat(run.projectedFiles()).as("the group's key is not in the Job").containsExactly("ca.crt");
    assertThat(run.agent().exit()).as(run.agent().log()).isZero();
    assertRestored(run);
  }

  /** What one backup Job run gave: its inputs as the agent saw them and what it did. */
  record Run(ValkeyCluster cluster, ValkeyBackup backup, Map<String, String> data, List<String> args,
      Map<String, String> env, Path hosts, List<String> projectedFiles, Path terminationLog, Agent agent) {}

  record Agent(int exit, String log) {}

  private Run backupOf(TlsSpec.ClientAuth auth) throws Exception {
    ValkeyCluster c = cluster(auth);
    Map<String, Map<String, String>> secrets = secrets(c);
    Pod source = pod(c, 1);

    // The node: the TLS lines of the ConfigMap's valkey.conf, over the pod's projected files.
    Path podTls = Files.createDirectories(tmp.resolve("pod-etc-tls"));
    project(volume(source.getSpec(), "tls"), secrets, podTls);
    String conf = ConfigMapModel.desired(new ModelInput(c, PASSWORD, null, "vigil:test"))
        .getData().get(ConfigMapModel.VALKEY_CONF);
    assertThat(conf).contains("port 0\n", "tls-port " + c.getSpec().port + "\n");
    String[] tlsLines = conf.lines().filter(l -> l.startsWith("tls-"))
        .map(l -> l.replace(TlsParts.DIR + "/", podTls + "/")).toArray(String[]::new);
    ValkeyServer node = servers.start(ValkeyServer.builder().name("cache-1").password(PASSWORD).config(tlsLines));
    Map<String, String> data = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      data.put("key:" + i, "value-" + i + "-" + "x".repeat(i));
      node.command("SET", "key:" + i, data.get("key:" + i));
    }
    // From here on the node serves what the ConfigMap says: TLS only, on spec.port.
    node.command("CONFIG", "SET", "port", "0");

    ValkeyBackup b = backup(c);
    Job job = BackupJobModel.backup(b, c, source, AGENT_IMAGE);
    Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, Path> mounts = mount(container, job.getSpec().getTemplate().getSpec(), secrets, "job");
    Path terminationLog = tmp.resolve("termination-log");
    List<String> args = remap(container.getArgs(), mounts, container.getTerminationMessagePath(), terminationLog);
    Map<String, String> env = env(container.getEnv(), secrets);
    Path hosts = tmp.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 " + Names.podHost(c, "cache-1") + "\n127.0.0.1 localhost\n");
    List<String> projected;
    try (var files = Files.list(mounts.get(TlsParts.DIR))) {
      projected = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    return new Run(c, b, data, args, env, hosts, projected, terminationLog, agent(args, env, hosts, "backup"));
  }

  /** The agent's result from the termination log, then the restore init container fetches it. */
  private void assertRestored(Run run) throws Exception {
    AgentResult result = AgentResult.parse(Files.readString(run.terminationLog())).orElseThrow();
    assertThat(result.objectKey()).startsWith("valkey/cache/");
    assertThat(result.sha256()).hasSize(64);

    RestoreSource r = new RestoreSource(run.backup().getSpec().destination, result.objectKey(), AGENT_IMAGE);
    PodSpec fresh = StatefulSetModel.desired(new ModelInput(run.cluster(), PASSWORD, null, "vigil:test", r))
        .getSpec().getTemplate().getSpec();
    Container restore = fresh.getInitContainers().stream().filter(x -> x.getName().equals("restore"))
        .findFirst().orElseThrow();
    Map<String, Path> mounts = mount(restore, fresh, secrets(run.cluster()), "restore");
    Agent fetched = agent(remap(restore.getArgs(), mounts, null, null), env(restore.getEnv(), secrets(run.cluster())),
        run.hosts(), "restore");
    assertThat(fetched.exit()).as(fetched.log()).isZero();

    ValkeyServer loaded = servers.start(ValkeyServer.builder().name("restored")
        .config("dir " + mounts.get("/restore"), "dbfilename dump.rdb"));
    assertThat(loaded.command("DBSIZE")).isEqualTo((long) run.data().size());
    for (Map.Entry<String, String> e : run.data().entrySet()) {
      assertThat(loaded.command("GET", e.getKey())).isEqualTo(e.getValue());
    }
  }

  private ValkeyCluster cluster(TlsSpec.ClientAuth auth) throws IOException {
    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("cache").withNamespace(NS).withUid("uid-1").build());
    c.getSpec().port = freePort();
    c.getSpec().tls.enabled = true;
    c.getSpec().tls.issuerRef = new TlsSpec.IssuerRef();
    c.getSpec().tls.issuerRef.name = "corp-ca";
    c.getSpec().tls.clientAuth = auth;
    return c;
  }

  private ValkeyBackup backup(ValkeyCluster c) {
    ValkeyBackup b = new ValkeyBackup();
    b.setMetadata(new ObjectMetaBuilder().withName("nightly").withNamespace(NS).withUid("uid-b").build());
    b.getSpec().cluster = c.getMetadata().getName();
    S3Destination d = b.getSpec().destination;
    d.bucket = BUCKET;
    d.prefix = "valkey/cache/";
    d.endpoint = "http://127.0.0.1:" + s3.getPort();
    d.pathStyle = true;
    d.credentialsSecret = new S3Destination.CredentialsSecret();
    d.credentialsSecret.name = "s3-keys";
    return b;
  }

  /**
   * The Secrets a cluster would hold: the group's password, the S3 keys, and cert-manager's
   * Secret for the Certificate the operator asks for (its DNS names and IP addresses, an ECDSA key
   * in PKCS#8, the CA in ca.crt).
   */
  private Map<String, Map<String, String>> secrets(ValkeyCluster c) throws IOException {
    Path pem = Files.createDirectories(tmp.resolve("issued"));
    if (!Files.exists(pem.resolve("tls.crt"))) {
      TestCertificates ca = TestCertificates.authority("corp-ca");
      List<String> names = new ArrayList<>(CertificateModel.dnsNames(c));
      names.addAll(List.of("127.0.0.1", "::1"));
      ca.issue(Names.serviceHost(c, Names.writeService(c)), names.toArray(String[]::new))
          .writeTo(pem.resolve("tls.crt"), pem.resolve("tls.key"));
      ca.writeCertificate(pem.resolve("ca.crt"));
    }
    Map<String, Map<String, String>> s = new LinkedHashMap<>();
    s.put(AuthSecretModel.secretName(c), Map.of(AuthSecretModel.secretKey(c), PASSWORD));
    s.put("s3-keys", Map.of("accessKeyId", ACCESS, "secretAccessKey", SECRET));
    s.put(TlsParts.secretName(c), Map.of("tls.crt", Files.readString(pem.resolve("tls.crt")),
        "tls.key", Files.readString(pem.resolve("tls.key")), "ca.crt", Files.readString(pem.resolve("ca.crt"))));
    return s;
  }

  /** Pod {@code ordinal} as the StatefulSet controller makes it from the current template. */
  private static Pod pod(ValkeyCluster c, int ordinal) {
    PodSpec spec = StatefulSetModel.desired(new ModelInput(c, PASSWORD, null, "vigil:test")).getSpec()
        .getTemplate().getSpec();
    return new PodBuilder().withNewMetadata().withName(Names.pod(c, ordinal)).withNamespace(NS).endMetadata()
        .withSpec(spec).build();
  }

  private static Volume volume(PodSpec spec, String name) {
    return spec.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
  }

  /** Each of the container's mounts as a directory, with what its volume projects written into it. */
  private Map<String, Path> mount(Container c, PodSpec spec, Map<String, Map<String, String>> secrets, String run)
      throws IOException {
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (VolumeMount m : c.getVolumeMounts()) {
      Path dir = Files.createDirectories(tmp.resolve(run + "-" + m.getName()));
      project(volume(spec, m.getName()), secrets, dir);
      dirs.put(m.getMountPath(), dir);
    }
    return dirs;
  }

  /** Writes a Secret or projected volume's items as the kubelet does; an emptyDir stays empty. */
  private static void project(Volume v, Map<String, Map<String, String>> secrets, Path dir) throws IOException {
    if (v.getProjected() != null) {
      for (VolumeProjection p : v.getProjected().getSources()) {
        for (KeyToPath i : p.getSecret().getItems()) {
          Files.writeString(dir.resolve(i.getPath()), secrets.get(p.getSecret().getName()).get(i.getKey()));
        }
      }
    } else if (v.getSecret() != null) {
      throw new IllegalArgumentException("no S3 CA in this test: " + v.getName());
    }
  }

  /** The arguments with mounted paths (and the termination log) moved where the test put them. */
  private static List<String> remap(List<String> args, Map<String, Path> mounts, String terminationPath,
      Path terminationFile) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      String mapped = a.equals(terminationPath) ? terminationFile.toString() : a;
      for (Map.Entry<String, Path> m : mounts.entrySet()) {
        if (a.equals(m.getKey()) || a.startsWith(m.getKey() + "/")) {
          mapped = m.getValue() + a.substring(m.getKey().length());
        }
      }
      out.add(mapped);
    }
    return out;
  }

  private static Map<String, String> env(List<EnvVar> vars, Map<String, Map<String, String>> secrets) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : vars) {
      env.put(e.getName(), e.getValue() != null ? e.getValue()
          : secrets.get(e.getValueFrom().getSecretKeyRef().getName()).get(e.getValueFrom().getSecretKeyRef().getKey()));
    }
    return env;
  }

  /** {@code vigil ARGS} in its own JVM with only the container's environment. */
  private Agent agent(List<String> args, Map<String, String> env, Path hosts, String name) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-Djdk.net.hosts.file=" + hosts, "-cp", System.getProperty("java.class.path"),
        BackupCli.class.getName()));
    cmd.addAll(args);
    Path log = tmp.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(name + " did not finish; log:\n" + Files.readString(log));
    }
    return new Agent(p.exitValue(), "args " + args + "\n" + Files.readString(log));
  }

  private static int freePort() {
    return dev.vigil.testkit.FreePorts.loopback();
  }
}
