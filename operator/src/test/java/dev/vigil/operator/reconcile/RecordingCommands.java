package dev.vigil.operator.reconcile;

import dev.vigil.operator.master.GroupCommands;
import dev.vigil.operator.master.HostPort;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Commands to nodes and daemons that do not run: each is recorded and answered by {@code answer}
 * (at once and successfully unless a test says otherwise, e.g. never, for a node that hangs).
 */
public final class RecordingCommands implements GroupCommands {
  public final List<String> sent = new CopyOnWriteArrayList<>();
  private volatile Function<String, CompletableFuture<Boolean>> answer =
      c -> CompletableFuture.completedFuture(true);

  public RecordingCommands answer(Function<String, CompletableFuture<Boolean>> a) {
    this.answer = a;
    return this;
  }

  @Override
  public CompletionStage<Boolean> switchover(String masterName, List<HostPort> daemons) {
    return record("switchover " + masterName);
  }

  @Override
  public CompletionStage<Boolean> configSet(HostPort node, String password, Map<String, String> parameters) {
    StringBuilder sb = new StringBuilder("config-set " + node);
    new java.util.TreeMap<>(parameters).forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v));
    return record(sb.toString());
  }

  @Override
  public CompletionStage<Optional<HostPort>> forgetGone(String masterName, List<HostPort> daemons,
      int expectedDaemons, int expectedReplicas) {
    return record("forget " + masterName).thenApply(x -> Optional.empty());
  }

  @Override
  public CompletionStage<Boolean> holdSeen(String masterName, List<HostPort> daemons, int replicas) {
    return record("hold-seen " + masterName + " " + replicas);
  }

  @Override
  public CompletionStage<Boolean> inSync(HostPort master, List<HostPort> replicas, String password) {
    return record("in-sync " + master + " " + replicas);
  }

  private CompletableFuture<Boolean> record(String command) {
    sent.add(command);
    return answer.apply(command);
  }
}
