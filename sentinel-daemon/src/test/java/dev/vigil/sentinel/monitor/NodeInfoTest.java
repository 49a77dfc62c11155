package dev.vigil.sentinel.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.resp3.client.InfoReply;
import dev.vigil.sentinel.config.Address;
import org.junit.jupiter.api.Test;

class NodeInfoTest {
  @Test
  void onlySlaveFollowedByDigitsIsAReplicaLine() {
    assertThat(NodeInfo.isReplicaField("slave0")).isTrue();
    assertThat(NodeInfo.isReplicaField("slave12")).isTrue();
    assertThat(NodeInfo.isReplicaField("slave")).isFalse();
    assertThat(NodeInfo.isReplicaField("slave_priority")).isFalse();
    assertThat(NodeInfo.isReplicaField("slave_repl_offset")).isFalse();
    assertThat(NodeInfo.isReplicaField("slave1x")).isFalse();
    assertThat(NodeInfo.isReplicaField("connected_slaves")).isFalse();
  }

  @Test
  void aMastersReplicaLinesAreParsedAndItsOtherSlaveFieldsAreNot() {
    NodeInfo i = NodeInfo.parse(InfoReply.parse("# Replication\r\nrole:master\r\nconnected_slaves:2\r\n"
        + "slave0:ip=10.0.0.2,port=6379,state=online,offset=7,lag=0\r\n"
        + "slave1:ip=10.0.0.3,port=6380,state=wait_bgsave,offset=0,lag=0\r\n"
        + "slave_priority:100\r\nmaster_repl_offset:7\r\n"));
    assertThat(i.replicas()).extracting(NodeInfo.ReplicaLine::address)
        .containsExactly(new Address("10.0.0.2", 6379), new Address("10.0.0.3", 6380));
    assertThat(i.replicas()).extracting(NodeInfo.ReplicaLine::state).containsExactly("online", "wait_bgsave");
  }
}
