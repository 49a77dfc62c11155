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

  @Test
  void readingInPlaceAgreesWithTheSectionsMap() {
    String raw = "# Server\r\nrun_id:abc\r\n# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\n"
        + "master_port:6379\r\nmaster_link_status:down\r\nmaster_link_down_since_seconds:3\r\n"
        + "slave_repl_offset:42\r\nreplica_priority:5\r\nslave_priority:7\r\nreplica_announced:0\r\n"
        + "no colon here\r\n:empty key\r\nmaster_port:6380\r\n# Persistence\r\nloading:0\r\n"
        + "# Keyspace\r\ndb0:keys=3,expires=0\r\n";
    NodeInfo i = NodeInfo.parse(raw);
    var r = InfoReply.parse(raw).section("replication");
    assertThat(i.role()).isEqualTo(NodeRole.REPLICA);
    assertThat(i.masterAddress()).as("a repeated key keeps its last value, as the map does")
        .isEqualTo(new Address(r.get("master_host"), Integer.parseInt(r.get("master_port"))))
        .isEqualTo(new Address("10.0.0.1", 6380));
    assertThat(i.masterLinkUp()).isFalse();
    assertThat(i.masterLinkDownMs()).isEqualTo(3_000);
    assertThat(i.replOffset()).isEqualTo(42);
    assertThat(i.priority()).as("slave_priority wins over replica_priority").isEqualTo(7);
    assertThat(i.announced()).isFalse();
    assertThat(i.runId()).isEqualTo("abc");
    assertThat(i.keys()).isEqualTo(3);
    assertThat(i.raw()).isEqualTo(raw);
  }

  @Test
  void anRdbChannelOrAMalformedReplicaLineIsNotAReplica() {
    NodeInfo i = NodeInfo.parse(InfoReply.parse("# Replication\nrole:master\n"
        + "slave0:ip=10.0.0.2,port=6379,state=online,offset=7,lag=0,type=replica\n"
        + "slave1:ip=10.0.0.2,port=6379,state=wait_bgsave,offset=0,lag=0,type=rdb-channel\n"
        + "slave2:ip=10.0.0.4,state=online\n"
        + "slave3:ip=10.0.0.5,port=6381,port=6382,offset=x,\n"));
    assertThat(i.replicas()).containsExactly(
        new NodeInfo.ReplicaLine(new Address("10.0.0.2", 6379), "online", 7),
        new NodeInfo.ReplicaLine(new Address("10.0.0.5", 6382), "?", 0));
    assertThat(NodeInfo.part("a=1,bb=2,b=3,b=4", "b")).isEqualTo("4");
    assertThat(NodeInfo.part("a=1,bb=2", "b")).isNull();
    assertThat(NodeInfo.part("a=1,x,=2", "")).isNull();
  }
}
