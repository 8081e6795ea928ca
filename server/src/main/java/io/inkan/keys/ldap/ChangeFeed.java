package io.inkan.keys.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.extensions.WhoAmIExtendedRequest;
import io.inkan.dataset.Source;
import io.inkan.dataset.ldap.LdapConnections;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the cache which domains changed, on one thread and one connection of its own: by RFC 4533
 * content synchronization where the root DSE lists it ({@link ContentSyncSession}), else by
 * persistent search ({@link PersistentSearchSession}), else by polling {@code modifyTimestamp}
 * ({@link PollingSession}). Nothing is debounced. A connection that fails or a search that ends is
 * started again, on the first server of the failover set that answers, after a growing pause; a
 * content sync whose refresh a server limit ends falls back to the next mode. Every push session
 * makes the cache forget everything once it is in place, since changes may have been missed
 * meanwhile (and only then: a directory that cannot be reached does not empty the cache, which
 * keeps serving until its time-to-live). While a push search runs, a Who am I? request (RFC 4532,
 * not a search) checks the connection every poll interval.
 */
final class ChangeFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
  static final Duration MIN_PAUSE = Duration.ofMillis(250);
  static final Duration MAX_PAUSE = Duration.ofMinutes(1);

  /** Where the first poll starts, before now: generous for clocks that disagree. */
  static final Duration FIRST_POLL_LOOKBACK = Duration.ofHours(1);

  /** How changes arrive. */
  enum Mode {
    CONTENT_SYNC("RFC 4533 content synchronization"),
    PERSISTENT_SEARCH("persistent search"),
    POLLING("polling modifyTimestamp");

    private final String text;

    Mode(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  private final LdapConnections connections;
  private final DN baseDn;
  private final String base;
  private final Changes changes;
  private final Duration interval;
  private final Set<Mode> modes;
  private final Clock clock;
  private final Source declaredAt;
  private final Thread thread;
  private final AtomicLong polls = new AtomicLong();
  private final AtomicLong sessions = new AtomicLong();
  private volatile boolean closed;
  private volatile LDAPConnection connection;
  private volatile Mode mode;
  private volatile PushSession push;
  private volatile boolean polled;
  private boolean syncRefused; // the feed thread's: content sync cannot run here
  private PollingSession polling; // the feed thread's

  ChangeFeed(
      LdapConnections connections,
      KeyTree tree,
      KeyLookup cache,
      Duration interval,
      Set<Mode> modes,
      Clock clock,
      Source declaredAt) {
    if (interval.isNegative() || interval.isZero() || modes.isEmpty()) {
      throw new IllegalArgumentException("poll interval must be > 0 and some mode allowed");
    }
    this.connections = connections;
    this.baseDn = tree.base();
    this.base = baseDn.toString();
    this.changes = new Changes(tree, cache);
    this.interval = interval;
    this.modes = EnumSet.copyOf(modes);
    this.clock = clock;
    this.declaredAt = declaredAt;
    this.thread = new Thread(this::run, "inkan-ldap-key-changes " + declaredAt);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    Duration pause = MIN_PAUSE;
    String failure = null;
    while (!closed) {
      try (LDAPConnection c = connections.connect()) {
        connection = c;
        if (closed) {
          break;
        }
        sessions.incrementAndGet();
        RootDSE root = c.getRootDSE();
        Mode m = choose(root);
        if (m != mode) {
          LOG.info(
              "{}: LDAP key changes under {} arrive by {} from {}",
              declaredAt,
              base,
              m == Mode.POLLING ? m + " every " + interval.toSeconds() + " s" : m,
              c.getConnectedAddress() + ":" + c.getConnectedPort());
          mode = m;
        }
        if (failure != null) {
          LOG.info("{}: LDAP key change notifications resumed", declaredAt);
        }
        failure = null;
        session(c, root, m);
      } catch (LDAPException e) {
        String now = LdapConnections.describe(e);
        if (!closed && !now.equals(failure)) {
          LOG.warn(
              "{}: LDAP key change notifications from {} stopped: {}; retrying",
              declaredAt,
              connections.servers(),
              now);
        }
        failure = now;
      } catch (InterruptedException e) {
        if (!closed) {
          LOG.warn("{}: LDAP key change notifications interrupted", declaredAt);
        }
        break;
      } finally {
        pause = established() ? MIN_PAUSE : min(pause.multipliedBy(2), MAX_PAUSE);
        connection = null;
        push = null;
        polled = false;
      }
      if (!sleep(pause)) {
        break;
      }
    }
  }

  private Mode choose(RootDSE root) {
    if (root != null && root.supportsControl(ContentSyncSession.OID)) {
      if (modes.contains(Mode.CONTENT_SYNC) && !syncRefused) {
        return Mode.CONTENT_SYNC;
      }
    }
    if (root != null && root.supportsControl(PersistentSearchSession.OID)) {
      if (modes.contains(Mode.PERSISTENT_SEARCH)) {
        return Mode.PERSISTENT_SEARCH;
      }
    }
    return Mode.POLLING;
  }

  private void session(LDAPConnection c, RootDSE root, Mode m)
      throws LDAPException, InterruptedException {
    if (m == Mode.POLLING) {
      poll(c);
      return;
    }
    PushSession session =
        m == Mode.CONTENT_SYNC
            ? new ContentSyncSession(
                base, changes, ContentSyncSession.currentCookie(c, root, baseDn))
            : new PersistentSearchSession(base, changes);
    push = session;
    session.start(c);
    session.sent(c);
    SearchResult end;
    while ((end = session.awaitEnd(interval.toMillis())) == null) {
      probe(c);
    }
    ResultCode rc = end.getResultCode();
    if (rc == ResultCode.E_SYNC_REFRESH_REQUIRED) {
      changes.everything(); // RFC 4533 §3.2: start afresh
      session.establish(); // and at once
    } else if (m == Mode.CONTENT_SYNC && !session.isEstablished() && limit(rc)) {
      syncRefused = true;
      LOG.warn(
          "{}: the directory's {} ends the content synchronization's refresh of {}; falling back"
              + " (lift the limit for Inkan's bind DN, e.g. slapd's limits ... size=unlimited)",
          declaredAt,
          rc.getName(),
          base);
    }
    String why = end.getDiagnosticMessage();
    throw new LDAPException(rc, "the " + m + " search ended" + (why == null ? "" : ": " + why));
  }

  private static boolean limit(ResultCode rc) {
    return rc == ResultCode.SIZE_LIMIT_EXCEEDED
        || rc == ResultCode.TIME_LIMIT_EXCEEDED
        || rc == ResultCode.ADMIN_LIMIT_EXCEEDED;
  }

  /** Whether the connection still answers; a broken one ends the session. */
  private void probe(LDAPConnection c) throws LDAPException {
    WhoAmIExtendedRequest whoAmI = new WhoAmIExtendedRequest();
    whoAmI.setResponseTimeoutMillis(connections.timeoutMillis());
    try {
      c.processExtendedOperation(whoAmI);
    } catch (LDAPException e) {
      if (!e.getResultCode().isConnectionUsable()) {
        throw e;
      }
    }
  }

  private void poll(LDAPConnection c) throws LDAPException, InterruptedException {
    if (polling == null) {
      polling =
          new PollingSession(
              base,
              changes,
              connections.timeoutMillis(),
              clock.instant().minus(max(FIRST_POLL_LOOKBACK, interval.multipliedBy(2))));
    }
    while (!closed) {
      polling.poll(c);
      polls.incrementAndGet();
      polled = true;
      if (!sleep(interval)) {
        throw new InterruptedException();
      }
    }
  }

  private boolean sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return !closed;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** How changes arrive now; null before the first session. */
  Mode mode() {
    return mode;
  }

  /** Whether a session is in place: every change from now on reaches the cache. */
  boolean established() {
    PushSession p = push;
    return polled || (p != null && p.isEstablished());
  }

  /** How many polls ran (for tests). */
  long polls() {
    return polls.get();
  }

  /** How many sessions started (for tests). */
  long sessions() {
    return sessions.get();
  }

  /** How many entries the refresh stages of content sync listed (for tests). */
  long listed() {
    return changes.listedCount();
  }

  /** How many entries were notified (for tests). */
  long notifications() {
    return changes.count();
  }

  /** Stops the thread and closes its connection. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    LDAPConnection c = connection;
    if (c != null) {
      c.close();
    }
    try {
      thread.join(Math.max(1000, 2L * connections.timeoutMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
