package dev.vigil.operator.reconcile;

import dev.vigil.operator.model.AuthSecretModel;
import dev.vigil.operator.model.CertificateModel;
import dev.vigil.operator.model.ConfigMapModel;
import dev.vigil.operator.model.TlsParts;
import dev.vigil.operator.model.ConnectionSecretModel;
import dev.vigil.operator.model.ModelInput;
import dev.vigil.operator.model.Names;
import dev.vigil.operator.model.PodDisruptionBudgetModel;
import dev.vigil.operator.model.SentinelDeploymentModel;
import dev.vigil.operator.model.ServiceAccountModel;
import dev.vigil.operator.model.HeadlessServiceModel;
import dev.vigil.operator.model.ReadServiceModel;
import dev.vigil.operator.model.SentinelServiceModel;
import dev.vigil.operator.model.WriteServiceModel;
import dev.vigil.operator.model.StatefulSetModel;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;

/**
 * Every object a cluster should have, in apply order (what pods mount before the pods), and the
 * kinds that must not exist in this configuration. A pure function of the model input.
 */
record DesiredState(List<HasMetadata> objects, List<Absent> absent) {

  /** An object this configuration must not have (left from another mode or size). */
  record Absent(Class<? extends HasMetadata> kind, String name) {}

  static DesiredState of(ModelInput in) {
    List<HasMetadata> o = new ArrayList<>();
    List<Absent> absent = new ArrayList<>();
    o.add(ServiceAccountModel.desired(in));
    AuthSecretModel.desired(in.cluster(), in.password()).ifPresent(o::add);
    o.add(ConfigMapModel.desired(in));
    o.add(HeadlessServiceModel.desired(in));
    o.add(WriteServiceModel.desired(in));
    o.add(ReadServiceModel.desired(in));
    o.add(SentinelServiceModel.desired(in));
    // Before the pods: cert-manager writes the Secret they mount.
    CertificateModel.desired(in).ifPresentOrElse(o::add, () -> absent.add(
        new Absent(io.fabric8.certmanager.api.model.v1.Certificate.class, TlsParts.certificateName(in.cluster()))));
    o.add(StatefulSetModel.desired(in));
    SentinelDeploymentModel.desired(in).ifPresentOrElse(o::add,
        () -> absent.add(new Absent(Deployment.class, Names.sentinelDeployment(in.cluster()))));
    PodDisruptionBudgetModel.desired(in).ifPresentOrElse(o::add,
        () -> absent.add(new Absent(PodDisruptionBudget.class, Names.podDisruptionBudget(in.cluster()))));
    o.add(ConnectionSecretModel.desired(in));
    return new DesiredState(o, absent);
  }
}
