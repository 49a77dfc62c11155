/*
 * Vigil's vote / election / promotion protocol for one group, as FailoverCore implements it.
 *
 * WHAT IS MODELLED (process step -> Java):
 *   3 daemons (slots 0..2), quorum 2, every daemon counts 3 voters. Each slot runs proctype
 *   Daemon; every step is one d_step, i.e. one call into the pure core plus what the shell
 *   (GroupRunner) does with its result before anything else happens on that group's loop.
 *     START     FailoverCore.tick -> start: f == null, ODOWN (abstracted: any time), now >=
 *               retryNotBefore (hold[] off), !abstaining -> epoch = currentEpoch + 1, self-vote
 *               withVote(myId, epoch) persisted (AdoptEpoch + Persist precede AskPeers), and
 *               the first AskPeers(true). (The core also needs a replica it could promote,
               ReplicaSelection.choose; the model lets every daemon start: a superset.)
 *     ASK       GroupDriver.askPeers(true, epoch): IS-MASTER-DOWN-BY-ADDR to every peer in the
 *               FAILOVER'S epoch (Effect.AskPeers.epoch), not the daemon's current one, which a
 *               hello may have raised.
 *     WIN       advance(WAIT_START): Election.winner over votesIn(epoch) (own persisted vote + the
 *               peers' answers for this epoch) >= max(majority of 3, quorum) = 2 -> SELECT_REPLICA
 *               -> Promote in the same tick. (-failover-abort-no-good-slave is left out: its
 *               behaviours are those of a promotion followed at once by FOEND, minus one
 *               promotion and plus a hold, so it cannot break a property the other path keeps.)
 *     ABORT     advance(WAIT_START): election timeout or split vote -> abort / retryNotBefore.
 *     FOEND     reconf/WAIT_PROMOTION: +failover-end, end-for-timeout, slave-timeout abort, or a
 *               newer config (GroupState.superseded): the failover is gone.
 *     HOLDEND   now reaches retryNotBefore (the voter's hold, or the back-off after an abort).
 *     QEND      now reaches abstainUntil (the fresh-identity quarantine's timed end).
 *     REPORT    a peer answers the quarantined daemon's SENTINEL VIGIL-EPOCH, asked on a
 *               connection opened after this start (QuarantineProof): its current epoch then.
 *     PROOF     every configured peer has answered (vigil.failover.peers): the quarantine ends at
 *               once, the current epoch becomes at least the highest answer, and every epoch up to
 *               it is blocked (the persisted vote floor, written before the quarantine ends).
 *     HELLO     GroupMonitor.hello from peer s: we adopt its epoch (AdoptEpoch) and, while we
 *               are quarantined, abstaining() looks at helloEpoch of the peers heard since the
 *               start. A hello may carry any epoch s has had (its epoch only grows until it loses
 *               its state, and a forgotten identity's hellos are not delivered): that covers
 *               hellos that are late, reordered (direct PUBLISH and node channels) or lost,
 *               without a bag of in-flight hellos.
 *     VOTE      FailoverCore.vote (+ Votes.request) on a request, then the persisted reply.
 *     REPLY     FailoverCore.peerAnswer on the candidate: a vote for it in its failover epoch.
 *     CRASH     restart with the state file: currentEpoch, leaderEpoch, leader kept; failover,
 *               retryNotBefore, links and abstainUntil lost (SentinelDaemon: a daemon that loaded
 *               a state file is not fresh, even if it was quarantined when it stopped).
 *     LOSS      restart without state: new run id (gen[]), epoch 0, no vote, quarantined
 *               (FailoverCore.abstaining), knows no peer until it hears their hellos.
 *
 * NETWORK: requests (req) and replies (rep) are bags (bit sets) per pair, so any
 * pending message can be delivered in any order, late or never (for safety a lost message is one
 * that is never delivered, so loss needs no step of its own). A restart closes its
 * connections: messages to and from the restarted process are dropped (a reply to the old process
 * can no longer be read; a request from it is answered on a dead connection).
 *
 * TIME ABSTRACTIONS:
 *   - ODOWN, election timeouts, the failover's end, the hold and the retry back-off are events
 *     that can happen at any moment (over-approximation: every real timing is included).
 *   - The timed end of the quarantine (QEND) is different: the guard exists only because of a
 *     timing assumption, and an unconstrained end would let the model pick schedules the design
 *     rules out. By default QEND is enabled only once the design's assumption holds for that
 *     daemon: every daemon's current epoch has passed every epoch the forgotten identity voted in,
 *     and no request in such an epoch is still in flight to it (5 s of quarantine >> election
 *     timeout and message delays). -DASYNC_QEND removes that constraint.
 *   - Replies that carry no vote for the asker are not modelled: they only let a candidate see a
 *     split vote earlier, and ABORT can happen at any time anyway. A vote for the asker is kept
 *     only while the asker still waits on that epoch's election (later elections use higher
 *     epochs), and requests in an epoch the voter has already voted in or blocked are discarded
 *     (GC below): both drop only messages that can no longer change anything.
 *
 * MACROS (mutants and variants):
 *   NO_QUARANTINE      a fresh identity votes and starts at once (the guard removed)
 *   EARLY_END          abstaining() ends early when every peer heard announced epoch 0 (refuted)
 *   Q_DROPPED_ON_RESTART  a restart within the quarantine drops it (the state file did not
 *                      record its end before vigil-quarantine-until; refuted)
 *   NO_EARLY_END, Q_SURVIVES_RESTART  the defaults, kept as names (defining them changes nothing)
 *   ASYNC_QEND         the quarantine ends at any time (no timing assumption)
 *   NO_PROOF           no peer list configured: the quarantine ends by time only
 *   PARTIAL_PROOF      the proof ends the quarantine after one peer's answer (refuted)
 *   NO_FLOOR           the proof ends the quarantine without blocking the answered epochs (refuted)
 *   COLD               every daemon starts without state, quarantined (a new group)
 *   NO_PERSIST_VOTE    a restart forgets the vote (persisted vote before the reply removed)
 *   NO_STEP_DOWN       a candidate that votes for a later one keeps waiting on its own election
 *                      (refuted: noLaterVoteAtWin)
 *   NO_LEADER_REFUSAL  a leader past its election grants later epochs (the "leading" refusal off;
 *                      it guards noSupersededPromotion, which needs real durations; spin finds
 *                      no per-epoch violation without it within the build's bounds)
 *   MAXCRASH, MAXLOSS  how many restarts with / without state (default 1 / 1)
 *   LEADERS_ONLY       check only the leader and promotion properties (what a double vote leads to)
 *   CANDIDATES, LOSERS bit masks of the slots that may start elections / lose their state
 *
 * THE MODEL WITHOUT MACROS IS THE CODE AS IMPLEMENTED: no early end of the quarantine on epoch-0
 * hellos (taken out of FailoverCore after this model refuted it; -DEARLY_END is that mutant), and
 * a restart within the quarantine keeps it until its recorded end (SentinelDaemon reads
 * "sentinel vigil-quarantine-until" from the state file, Quarantine.remainingMs;
 * -DQ_DROPPED_ON_RESTART is the earlier code, which this model refuted too).
 *
 * PROPERTIES (assertions, checked at every step):
 *   leaderElectionSafety     at most one identity wins an epoch (leaderOf[])
 *   atMostOneMasterPerEpoch  at most one promotion per epoch (promos[])
 *   noLaterVoteAtWin         a daemon that wins an epoch has voted for no other candidate since
 *                            it started that election (gave[]): else the one it voted for, in a
 *                            later epoch, could win too, and both promote (noSupersededPromotion
 *                            without durations)
 *   singleVotePerIdentity    a slot (an identity or its forgotten predecessors) never votes for two
 *                            different candidates in one epoch (votedFor[]) while the first vote
 *                            can still be counted: a vote for an identity that has lost its state
 *                            (its own vote included) can be counted by no one, and is dropped
 *   An epoch that no live daemon knows any more (every current epoch below it, so no request or
 *   answer carries it either) is forgotten with its leader and promotion: a later election in it
 *   cannot contradict a configuration that nobody holds. Only restarts without state forget, and
 *   only when every daemon that knew the epoch lost its state too.
 *
 * NOT MODELLED: more than one group, node states and replica choice (a promotion is an abstract
 * event), config-epoch propagation and the master-address match of vote requests (a voter only
 * votes for the group whose master address matches; leaving it out only adds behaviours), peer
 * discovery and forgetting (every daemon counts 3 voters; with quorum 2 any count gives the same
 * threshold), SENTINEL FAILOVER (forced), the shell's ordering of effects other than persist-before-
 * reply, TILT.
 */

#define N 3
#ifndef EARLY_END
#define NO_EARLY_END
#endif
#ifndef Q_DROPPED_ON_RESTART
#define Q_SURVIVES_RESTART
#endif
#ifndef E
#define E 3
#endif
#if E > 3
#error "the forgetting macros are unrolled for epochs up to 3"
#endif
#ifndef MAXCRASH
#define MAXCRASH 1
#endif
#ifndef MAXLOSS
#define MAXLOSS 1
#endif
#ifndef CANDIDATES
#define CANDIDATES 7  /* bit d: slot d may start an election */
#endif
#ifndef LOSERS
#define LOSERS 7      /* bit d: slot d may restart without its state */
#endif
#define NONE 15
#ifndef MAXGEN
#define MAXGEN 1      /* restarts without state per slot (identities are 0..8 with MAXGEN 2) */
#endif
#define ID(d) ((d) + N * gen[d])
#define BIT(x) (1 << (x))

/* persisted: current epoch, leader epoch, leader (identity) */
byte cur[N]; byte lep[N]; byte ldr[N];
/* identity generation: a restart without state gives the slot a new run id */
byte gen[N];
/* volatile */
bool q[N];        /* fresh-identity quarantine (abstainUntil not reached) */
bool hold[N];     /* now < retryNotBefore */
byte foPh[N];     /* 0 none, 1 WAIT_START, 2 past the election (SELECT_REPLICA and after) */
byte foEp[N];
byte got[N];      /* peers (slots) whose answer voted for us in foEp */
bool gave[N];     /* ghost: voted for another candidate while waiting on its own election */
byte heard[N];    /* peers heard since our start (only tracked while quarantined) */
byte nonzero[N];  /* of those, the ones whose last hello announced an epoch other than 0 */
/* network bags */
byte req[N * N];  /* req[c*N+v]: epochs (bit e) of vote requests from c to v in flight */
byte rep[N];      /* rep[c]: bit v: v's answer "voted for you in your failover's epoch" in flight to c */
/* ghosts */
byte votedFor[N * (E + 1)];  /* first candidate a slot voted for in an epoch, any generation */
byte forgot[N];              /* highest epoch a forgotten predecessor of the slot voted in */
byte leaderOf[E + 1];
byte promos[E + 1];
byte crashes; byte losses;
/* the quarantine's proof: peers that answered since this start, and the highest epoch they gave */
byte rpt[N]; byte rmax[N];

#ifdef LEADERS_ONLY
/* only leaderElectionSafety / atMostOneMasterPerEpoch: shows what a double vote leads to */
#define VOTE_GHOST(s, e, cand) skip
#else
#define VOTE_GHOST(s, e, cand) \
  assert(votedFor[(s) * (E + 1) + (e)] == NONE || votedFor[(s) * (E + 1) + (e)] == (cand)); \
  votedFor[(s) * (E + 1) + (e)] = (cand)
#endif

#ifdef NO_QUARANTINE
#define ABSTAINING(d) false
#elif defined(NO_EARLY_END)
#define ABSTAINING(d) q[d]
#else
/* FailoverCore.abstaining: still quarantined unless some peer was heard since the start and every
 * peer heard announced epoch 0 (a fresh identity knows exactly the peers it has heard) */
#define ABSTAINING(d) (q[d] && (heard[d] == 0 || nonzero[d] != 0))
#endif

/* votesIn(epoch) for us: our own persisted vote plus the peers' answers */
#define VOTES_FOR_ME(d) \
  (((got[d] >> 0) & 1) + ((got[d] >> 1) & 1) + ((got[d] >> 2) & 1) \
   + (((lep[d] == foEp[d]) && (ldr[d] == ID(d))) -> 1 : 0))

/* votes for an identity that loses its state can no longer be counted by anyone (loops unrolled:
 * spin cannot break out of a loop inside a d_step; epochs 0..3, the model's largest E) */
#ifdef LEADERS_ONLY
#define FORGET_VOTES_FOR(id) skip
#else
#define FV1(k, id) if :: (k) < N * (E + 1) && votedFor[k] == (id) -> votedFor[k] = NONE :: else -> skip fi
#define FORGET_VOTES_FOR(id) \
  FV1(0, id); FV1(1, id); FV1(2, id); FV1(3, id); FV1(4, id); FV1(5, id); \
  FV1(6, id); FV1(7, id); FV1(8, id); FV1(9, id); FV1(10, id); FV1(11, id)
#endif

/* an epoch no live daemon knows is forgotten with its leader and promotion (see PROPERTIES) */
#define FE1(k) \
  if \
  :: (k) <= E && cur[0] < (k) && cur[1] < (k) && cur[2] < (k) -> \
     leaderOf[k] = NONE; promos[k] = 0; \
     votedFor[0 * (E + 1) + (k)] = NONE; votedFor[1 * (E + 1) + (k)] = NONE; \
     votedFor[2 * (E + 1) + (k)] = NONE \
  :: else -> skip \
  fi
#define FORGET_EPOCHS() FE1(1); FE1(2); FE1(3)

#define OTHER1(d) (((d) + 1) % N)
#define OTHER2(d) (((d) + 2) % N)

/* an answer from v to c carrying v's vote. Only a vote for c's current identity in the epoch of the
 * election c is waiting on can ever count (c's later elections use higher epochs), so the others
 * are not kept; the bag is emptied when that election ends. */
#define ANSWER(v, c) \
  if \
  :: ldr[v] == ID(c) && foPh[c] == 1 && lep[v] == foEp[c] -> rep[c] = rep[c] | BIT(v) \
  :: else -> skip \
  fi

/* FailoverCore.vote for a request from slot c in epoch e, received by d */
#define VOTE(d, c, e) \
  if \
  :: ABSTAINING(d) -> \
     if :: e > cur[d] -> cur[d] = e :: else -> skip fi; \
     if :: e > lep[d] -> hold[d] = true; lep[d] = e; ldr[d] = NONE :: else -> skip fi \
  :: else -> \
     if \
     :: e > lep[d] && (LEADING(d) || (ldr[d] != NONE && ldr[d] != ID(d) && ldr[d] != ID(c) && hold[d])) -> \
        if :: e > cur[d] -> cur[d] = e :: else -> skip fi \
     :: else -> \
        if :: e > cur[d] -> cur[d] = e :: else -> skip fi; \
        if \
        :: lep[d] < e && cur[d] <= e -> \
           ldr[d] = ID(c); lep[d] = cur[d]; VOTE_GHOST(d, e, ID(c)); hold[d] = true; \
           if :: foPh[d] == 1 -> gave[d] = true :: else -> skip fi; \
           STEP_DOWN(d) \
        :: else -> skip \
        fi \
     fi; \
     ANSWER(d, c) \
  fi

/* a candidate still waiting for votes that votes for a later one ends its own election */
#ifdef NO_STEP_DOWN
#define STEP_DOWN(d) skip
#else
#define STEP_DOWN(d) \
  if :: foPh[d] == 1 -> foPh[d] = 0; foEp[d] = 0; got[d] = 0; rep[d] = 0; gave[d] = false \
     :: else -> skip fi
#endif

#ifdef NO_LEADER_REFUSAL
#define LEADING(d) false
#else
#define LEADING(d) (foPh[d] == 2)
#endif

/* the design's timing assumption for the quarantine's timed end (see the header) */
#ifdef ASYNC_QEND
#define QEND_OK(d) true
#else
#define QEND_OK(d) \
  (cur[0] > forgot[d] && cur[1] > forgot[d] && cur[2] > forgot[d] \
   && (req[OTHER1(d) * N + d] & (BIT(forgot[d] + 1) - 1)) == 0 \
   && (req[OTHER2(d) * N + d] & (BIT(forgot[d] + 1) - 1)) == 0)
#endif

/* A request in an epoch <= the voter's leader epoch changes nothing: Votes.request repeats the vote
 * (and a leader's or promised voter's refusal names itself or a third daemon), and that answer was
 * already sent when the vote was given. Such requests are discarded (the voter's leader epoch only
 * grows while its connections live), which keeps the bags small without losing a behaviour. */
#define GC(d) \
  req[OTHER1(d) * N + d] = req[OTHER1(d) * N + d] & ~(BIT(lep[d] + 1) - 1); \
  req[OTHER2(d) * N + d] = req[OTHER2(d) * N + d] & ~(BIT(lep[d] + 1) - 1)

/* a restart closes every connection of the process */
#define DROP_LINKS(d) \
  req[OTHER1(d) * N + d] = 0; req[OTHER2(d) * N + d] = 0; \
  req[(d) * N + OTHER1(d)] = 0; req[(d) * N + OTHER2(d)] = 0; \
  rep[d] = 0; got[d] = 0; gave[d] = false; foPh[d] = 0; foEp[d] = 0; hold[d] = false; heard[d] = 0; nonzero[d] = 0; \
  rpt[d] = 0; rmax[d] = 0

/* IS-MASTER-DOWN-BY-ADDR with our run id and our failover's epoch to peer v (if it can still
 * matter) */
#define ASK_NEW(d, v) (foEp[d] > lep[v] && (req[(d) * N + v] & BIT(foEp[d])) == 0)
#define ASK(d, v) if :: ASK_NEW(d, v) -> req[(d) * N + v] = req[(d) * N + v] | BIT(foEp[d]) :: else -> skip fi

/* deliver a request from c (a peer of d) in epoch e */
#define REQ_OPTS(d, c, e) \
  :: d_step { req[(c) * N + d] & BIT(e) -> req[(c) * N + d] = req[(c) * N + d] & ~BIT(e); VOTE(d, c, e); GC(d) }

/* deliver v's answer to d's election */
#define REP_OPTS(d, v) \
  :: d_step { rep[d] & BIT(v) -> rep[d] = rep[d] & ~BIT(v); got[d] = got[d] | BIT(v) }

/* receive a hello from s announcing epoch e: any epoch s has had (its epoch only grows until it
 * loses its state, and hellos of a forgotten identity are not delivered), so a hello may arrive
 * arbitrarily late and out of order without a bag of its own */
#if defined(NO_EARLY_END) || defined(NO_QUARANTINE)
/* nothing looks at the epochs peers announce: only the adoption of a higher epoch is a step */
#define HEL_OPTS(d, s, e) \
  :: d_step { e <= cur[s] && e > cur[d] -> cur[d] = e }
#else
#define HEL_OPTS(d, s, e) \
  :: d_step { e <= cur[s] && (e > cur[d] || (q[d] && !(heard[d] & BIT(s) && (e != 0) == ((nonzero[d] & BIT(s)) != 0)))) -> \
       if :: e > cur[d] -> cur[d] = e :: else -> skip fi; \
       if \
       :: q[d] -> heard[d] = heard[d] | BIT(s); \
          if :: e != 0 -> nonzero[d] = nonzero[d] | BIT(s) :: else -> nonzero[d] = nonzero[d] & ~BIT(s) fi \
       :: else -> skip \
       fi }
#endif

/* REPORT: peer p answers our epoch query with its current epoch */
#ifdef NO_PROOF
#define RPT_OPTS(d, p)
#else
#define RPT_OPTS(d, p) \
  :: d_step { q[d] && (rpt[d] & BIT(p)) == 0 -> rpt[d] = rpt[d] | BIT(p); \
       if :: cur[p] > rmax[d] -> rmax[d] = cur[p] :: else -> skip fi }
#endif

#ifdef PARTIAL_PROOF
#define PROVEN(d) (rpt[d] != 0)
#else
#define PROVEN(d) (rpt[d] == (BIT(OTHER1(d)) | BIT(OTHER2(d))))
#endif

#define PEER_OPTS(d, p) \
  REQ_OPTS(d, p, 1) REQ_OPTS(d, p, 2) REQ_OPTS(d, p, 3) \
  REP_OPTS(d, p) RPT_OPTS(d, p) \
  HEL_OPTS(d, p, 0) HEL_OPTS(d, p, 1) HEL_OPTS(d, p, 2) HEL_OPTS(d, p, 3)

proctype Daemon(byte d) {
  byte a = OTHER1(d);
  byte b = OTHER2(d);
  /* a daemon with nothing to do is idle, not deadlocked */
end:
  do
  /* START: tick() -> start() */
  :: d_step { (CANDIDATES & BIT(d)) && foPh[d] == 0 && !hold[d] && !ABSTAINING(d) && cur[d] < E ->
       cur[d] = cur[d] + 1; lep[d] = cur[d]; ldr[d] = ID(d); VOTE_GHOST(d, cur[d], ID(d));
       foPh[d] = 1; foEp[d] = cur[d]; got[d] = 0; gave[d] = false; GC(d); ASK(d, a); ASK(d, b) }
  /* ASK: askPeers(true) in the failover's epoch */
  :: d_step { foPh[d] == 1 && ASK_NEW(d, a) || foPh[d] == 1 && ASK_NEW(d, b) -> ASK(d, a); ASK(d, b) }
  /* WIN + PROMOTE: electionWinner == me, SELECT_REPLICA -> Promote */
  :: d_step { foPh[d] == 1 && VOTES_FOR_ME(d) >= 2 ->
       assert(leaderOf[foEp[d]] == NONE || leaderOf[foEp[d]] == ID(d));
       assert(!gave[d]); /* noLaterVoteAtWin */
       leaderOf[foEp[d]] = ID(d);
       promos[foEp[d]] = promos[foEp[d]] + 1;
       assert(promos[foEp[d]] <= 1);
       foPh[d] = 2; got[d] = 0; rep[d] = 0 }
  /* ABORT: not elected in time, or split vote */
  :: d_step { foPh[d] == 1 -> foPh[d] = 0; foEp[d] = 0; got[d] = 0; rep[d] = 0; hold[d] = true; gave[d] = false }
  /* FOEND */
  :: d_step { foPh[d] == 2 -> foPh[d] = 0; foEp[d] = 0 }
  /* HOLDEND */
  :: d_step { hold[d] -> hold[d] = false }
  /* QEND */
  :: d_step { q[d] && QEND_OK(d) -> q[d] = false; heard[d] = 0; nonzero[d] = 0; rpt[d] = 0; rmax[d] = 0 }
#ifndef NO_PROOF
  /* PROOF: every peer answered; raise the epoch and block every epoch up to the highest answer */
  :: d_step { q[d] && PROVEN(d) ->
       if :: rmax[d] > cur[d] -> cur[d] = rmax[d] :: else -> skip fi;
#ifndef NO_FLOOR
       if :: cur[d] > lep[d] -> lep[d] = cur[d]; ldr[d] = NONE :: else -> skip fi;
#endif
       q[d] = false; heard[d] = 0; nonzero[d] = 0; rpt[d] = 0; rmax[d] = 0; GC(d) }
#endif
  /* CRASH: restart with the state file */
  :: d_step { crashes < MAXCRASH -> crashes++;
#ifdef NO_PERSIST_VOTE
       lep[d] = 0; ldr[d] = NONE;
#endif
#ifndef Q_SURVIVES_RESTART
       q[d] = false;
#endif
       DROP_LINKS(d) }
  /* LOSS: restart without state */
  :: d_step { (LOSERS & BIT(d)) && losses < MAXLOSS && gen[d] < MAXGEN -> losses++;
       if :: lep[d] > forgot[d] -> forgot[d] = lep[d] :: else -> skip fi;
       FORGET_VOTES_FOR(ID(d));
       gen[d] = gen[d] + 1; cur[d] = 0; lep[d] = 0; ldr[d] = NONE;
#ifndef NO_QUARANTINE
       q[d] = true;
#endif
       DROP_LINKS(d);
       FORGET_EPOCHS() }
  /* messages from the two peers */
  PEER_OPTS(d, a)
  PEER_OPTS(d, b)
  od
}

init {
  byte i;
  d_step {
    i = 0;
    do
    :: i < N -> ldr[i] = NONE; i++
    :: else -> break
    od;
    i = 0;
    do
    :: i < N * (E + 1) -> votedFor[i] = NONE; i++
    :: else -> break
    od;
    i = 0;
    do
    :: i <= E -> leaderOf[i] = NONE; i++
    :: else -> break
    od;
#ifdef COLD
    q[0] = true; q[1] = true; q[2] = true;
#endif
    i = 0
  }
  atomic { run Daemon(0); run Daemon(1); run Daemon(2) }
}
