package dev.vigil.operator.reconcile;

import dev.vigil.operator.reconcile.CommandLedger.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The next step of a change of size, as a pure function. Scale-in never removes the master: while
 * the daemons have not said which pod is master, nothing shrinks; the pods to go get
 * replica-priority 0 first (recorded in {@link Decisions} before the command goes out, so a new
 * operator knows to restore them), so no failover during their removal promotes one of them;
 * then, if the master is among them, a switchover moves it; only then does the StatefulSet
 * shrink. Pods that stay (a scale-in cancelled or shrunk) get their configured priority back.
 */
final class ScalePlan {
  private ScalePlan() {}

  /**
   * @param hold why the StatefulSet keeps its current size, or null when it may take the wanted one
   * @param moveMasterOff the master pod a switchover must move the role off, or null
   * @param commands priority changes to send
   * @param decisions what to remember
   */
  record Step(String hold, String moveMasterOff, List<Command> commands, Decisions decisions) {}

  static String prioritySlot(NodeView n) {
    return "priority:" + n.uid();
  }

  static Step next(int wanted, int current, String master, List<NodeView> nodes, Decisions decisions,
      Map<String, Outcome> ledger, String configuredPriority, long now) {
    List<Command> commands = new ArrayList<>();
    TreeSet<String> lowered = new TreeSet<>(decisions.lowered());
    for (String name : decisions.lowered()) {
      Optional<NodeView> node = nodes.stream().filter(n -> n.name().equals(name)).findFirst();
      if (node.isEmpty()) {
        lowered.remove(name); // gone: a pod made again reads its priority from its configuration
        continue;
      }
      NodeView n = node.get();
      if (n.ordinal() < wanted) {
        switch (Progress.of(ledger.get(prioritySlot(n)), configuredPriority, now)) {
          case DONE -> lowered.remove(name);
          case SEND -> {
            if (n.reachable()) {
              commands.add(priority(n, configuredPriority));
            }
          }
          case WAIT -> { }
        }
      }
    }
    if (wanted >= current) {
      return new Step(null, null, commands, decisions.withLowered(lowered).withScaleInTo(null));
    }
    Decisions scaling = decisions.withScaleInTo(wanted);
    if (master == null) {
      return new Step("waiting for the daemons to report the master before scaling in to " + wanted, null,
          commands, scaling.withLowered(lowered));
    }
    boolean lowering = false;
    for (NodeView n : nodes) {
      if (n.ordinal() < wanted || !n.reachable()) {
        continue;
      }
      lowered.add(n.name());
      switch (Progress.of(ledger.get(prioritySlot(n)), "0", now)) {
        case DONE -> { }
        case SEND -> {
          commands.add(priority(n, "0"));
          lowering = true;
        }
        case WAIT -> lowering = true;
      }
    }
    Decisions next = scaling.withLowered(lowered);
    if (lowering) {
      // The switchover, too, waits: it must not promote a pod that is about to go.
      return new Step("lowering replica-priority of the pods to go before scaling in to " + wanted, null,
          commands, next);
    }
    if (ordinal(nodes, master) >= wanted) {
      return new Step("moving the master off " + master + " before scaling in to " + wanted, master,
          commands, next);
    }
    return new Step(null, null, commands, next);
  }

  private static int ordinal(List<NodeView> nodes, String pod) {
    return nodes.stream().filter(n -> n.name().equals(pod)).mapToInt(NodeView::ordinal).findFirst()
        .orElseGet(() -> {
          int dash = pod.lastIndexOf('-');
          try {
            return Integer.parseInt(pod.substring(dash + 1));
          } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
          }
        });
  }

  private static Command priority(NodeView n, String value) {
    return new Command.ConfigSet(prioritySlot(n), value, n.address(), Map.of("replica-priority", value));
  }
}
