package io.inkan.keys.ldap;

import com.unboundid.ldap.sdk.AsyncRequestID;
import com.unboundid.ldap.sdk.AsyncSearchResultListener;
import com.unboundid.ldap.sdk.IntermediateResponse;
import com.unboundid.ldap.sdk.IntermediateResponseListener;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchResultReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A search that never ends by itself and carries notifications (content sync, persistent search).
 * Its callbacks run on the connection's reader thread and only tell {@link Changes}; the feed's
 * thread waits for the search to end.
 */
abstract class PushSession implements AsyncSearchResultListener, IntermediateResponseListener {
  private static final long serialVersionUID = 1L;

  private final transient CompletableFuture<SearchResult> done = new CompletableFuture<>();
  private final transient CompletableFuture<Void> established = new CompletableFuture<>();

  /** The search to send; its listeners are this session. */
  abstract SearchRequest request();

  /**
   * Called on the feed's thread once the search was sent and the server answered another request
   * after it; a session that has no other sign of being in place counts as established here.
   */
  void sent(LDAPConnection connection) throws LDAPException {}

  /** Marks the session as in place: from now on every change reaches {@link Changes}. */
  final void establish() {
    established.complete(null);
  }

  final boolean isEstablished() {
    return established.isDone();
  }

  /** Waits at most {@code millis} for the search to end; null when it still runs. */
  final SearchResult awaitEnd(long millis) throws InterruptedException {
    try {
      return done.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException stillRunning) {
      return null;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public final void searchResultReceived(AsyncRequestID requestId, SearchResult result) {
    done.complete(result);
  }

  @Override
  public void searchReferenceReturned(SearchResultReference reference) {}

  @Override
  public void intermediateResponseReturned(IntermediateResponse response) {}

  /** Sends the search and returns; {@link #awaitEnd} tells when it ended. */
  final void start(LDAPConnection connection) throws LDAPException {
    SearchRequest request = request();
    request.setResponseTimeoutMillis(0); // it runs until the connection closes
    request.setIntermediateResponseListener(this);
    connection.asyncSearch(request);
  }

  /** Subclasses see every entry. */
  @Override
  public abstract void searchEntryReturned(SearchResultEntry entry);
}
