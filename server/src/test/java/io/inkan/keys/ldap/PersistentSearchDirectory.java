package io.inkan.keys.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryRequestHandler;
import com.unboundid.ldap.listener.LDAPListener;
import com.unboundid.ldap.listener.LDAPListenerClientConnection;
import com.unboundid.ldap.listener.LDAPListenerConfig;
import com.unboundid.ldap.listener.LDAPListenerRequestHandler;
import com.unboundid.ldap.protocol.AbandonRequestProtocolOp;
import com.unboundid.ldap.protocol.AddRequestProtocolOp;
import com.unboundid.ldap.protocol.BindRequestProtocolOp;
import com.unboundid.ldap.protocol.CompareRequestProtocolOp;
import com.unboundid.ldap.protocol.DeleteRequestProtocolOp;
import com.unboundid.ldap.protocol.ExtendedRequestProtocolOp;
import com.unboundid.ldap.protocol.GenericResponseProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.protocol.ModifyDNRequestProtocolOp;
import com.unboundid.ldap.protocol.ModifyRequestProtocolOp;
import com.unboundid.ldap.protocol.SearchRequestProtocolOp;
import com.unboundid.ldap.sdk.AddRequest;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.controls.EntryChangeNotificationControl;
import com.unboundid.ldap.sdk.controls.PersistentSearchChangeType;
import com.unboundid.ldap.sdk.controls.PersistentSearchRequestControl;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFReader;
import java.io.BufferedReader;
import java.io.StringReader;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A directory that offers persistent search (as 389 DS or OpenDJ do, which are not installed here):
 * UnboundID's in-memory request handler behind a listener that keeps a search with the Persistent
 * Search control open and sends every successful add, modify, delete and rename made through the
 * listener to it, with an Entry Change Notification control.
 */
final class PersistentSearchDirectory implements AutoCloseable {
  private record Subscriber(LDAPListenerClientConnection connection, int messageId) {}

  private final InMemoryRequestHandler data;
  private final LDAPListener listener;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  PersistentSearchDirectory() throws Exception {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(KeyLdif.SUFFIX);
    config.setSchema(
        Schema.mergeSchemas(Schema.getDefaultStandardSchema(), InMemoryKeyTree.repoSchema()));
    List<String> controls = new ArrayList<>();
    InMemoryDirectoryServer plain = new InMemoryDirectoryServer(config);
    controls.addAll(List.of(plain.getRootDSE().getSupportedControlOIDs()));
    controls.add(PersistentSearchRequestControl.PERSISTENT_SEARCH_REQUEST_OID);
    config.setCustomRootDSEAttributes(List.of(new Attribute("supportedControl", controls)));
    data = new InMemoryRequestHandler(config);
    data.add(
        new AddRequest(
            "dn: " + KeyLdif.SUFFIX,
            "objectClass: top",
            "objectClass: dcObject",
            "objectClass: organization",
            "dc: example",
            "o: Example"));
    data.add(new AddRequest(KeyLdif.base().split("\n")));
    LDAPListenerConfig listen = new LDAPListenerConfig(0, new Handler(data, null));
    listen.setListenAddress(InetAddress.getByName("127.0.0.1"));
    listener = new LDAPListener(listen);
    listener.startListening();
  }

  /** {@code ldap://127.0.0.1:PORT/BASE}. */
  String url() {
    return "ldap://127.0.0.1:" + listener.getListenPort() + "/" + KeyLdif.BASE;
  }

  /** A connection through the listener: its changes are notified. */
  LDAPConnection connect() throws LDAPException {
    return new LDAPConnection("127.0.0.1", listener.getListenPort());
  }

  void add(String ldif) throws Exception {
    try (LDAPConnection c = connect();
        LDIFReader reader = new LDIFReader(new BufferedReader(new StringReader(ldif)))) {
      for (Entry e = reader.readEntry(); e != null; e = reader.readEntry()) {
        if (!(e.hasObjectClass("domain") && c.getEntry(e.getDN()) != null)) {
          c.add(e);
        }
      }
    }
  }

  void modify(String ldif) throws Exception {
    try (LDAPConnection c = connect();
        LDIFReader reader = new LDIFReader(new BufferedReader(new StringReader(ldif)))) {
      for (LDIFChangeRecord r = reader.readChangeRecord(true);
          r != null;
          r = reader.readChangeRecord(true)) {
        r.processChange(c);
      }
    }
  }

  /** How many persistent searches are open. */
  int subscribers() {
    return subscribers.size();
  }

  @Override
  public void close() {
    listener.shutDown(true);
  }

  private void announce(String dn, PersistentSearchChangeType type, String previousDn) {
    for (Subscriber s : subscribers) {
      try {
        s.connection()
            .sendSearchResultEntry(
                s.messageId(),
                new Entry(dn),
                new EntryChangeNotificationControl(type, previousDn, -1));
      } catch (LDAPException gone) {
        subscribers.remove(s);
      }
    }
  }

  private static boolean success(LDAPMessage response) {
    return response.getProtocolOp() instanceof GenericResponseProtocolOp r
        && r.getResultCode() == 0;
  }

  private final class Handler extends LDAPListenerRequestHandler {
    private final InMemoryRequestHandler inner;
    private final LDAPListenerClientConnection connection;

    Handler(InMemoryRequestHandler inner, LDAPListenerClientConnection connection) {
      this.inner = inner;
      this.connection = connection;
    }

    @Override
    public LDAPListenerRequestHandler newInstance(LDAPListenerClientConnection c)
        throws LDAPException {
      return new Handler(inner.newInstance(c), c);
    }

    @Override
    public void closeInstance() {
      subscribers.removeIf(s -> s.connection() == connection);
    }

    @Override
    public LDAPMessage processSearchRequest(
        int id, SearchRequestProtocolOp op, List<Control> controls) {
      for (Control c : controls) {
        if (c.getOID().equals(PersistentSearchRequestControl.PERSISTENT_SEARCH_REQUEST_OID)) {
          subscribers.add(new Subscriber(connection, id));
          return null; // open until the connection closes
        }
      }
      return inner.processSearchRequest(id, op, controls);
    }

    @Override
    public LDAPMessage processAddRequest(int id, AddRequestProtocolOp op, List<Control> c) {
      LDAPMessage r = inner.processAddRequest(id, op, c);
      if (success(r)) {
        announce(op.getDN(), PersistentSearchChangeType.ADD, null);
      }
      return r;
    }

    @Override
    public LDAPMessage processModifyRequest(int id, ModifyRequestProtocolOp op, List<Control> c) {
      LDAPMessage r = inner.processModifyRequest(id, op, c);
      if (success(r)) {
        announce(op.getDN(), PersistentSearchChangeType.MODIFY, null);
      }
      return r;
    }

    @Override
    public LDAPMessage processDeleteRequest(int id, DeleteRequestProtocolOp op, List<Control> c) {
      LDAPMessage r = inner.processDeleteRequest(id, op, c);
      if (success(r)) {
        announce(op.getDN(), PersistentSearchChangeType.DELETE, null);
      }
      return r;
    }

    @Override
    public LDAPMessage processModifyDNRequest(
        int id, ModifyDNRequestProtocolOp op, List<Control> c) {
      LDAPMessage r = inner.processModifyDNRequest(id, op, c);
      if (success(r)) {
        try {
          DN old = new DN(op.getDN());
          DN parent =
              op.getNewSuperiorDN() != null ? new DN(op.getNewSuperiorDN()) : old.getParent();
          DN now = new DN(new RDN(op.getNewRDN()), parent);
          announce(now.toString(), PersistentSearchChangeType.MODIFY_DN, old.toString());
        } catch (LDAPException e) {
          throw new IllegalStateException(e);
        }
      }
      return r;
    }

    @Override
    public LDAPMessage processBindRequest(int id, BindRequestProtocolOp op, List<Control> c) {
      return inner.processBindRequest(id, op, c);
    }

    @Override
    public LDAPMessage processCompareRequest(int id, CompareRequestProtocolOp op, List<Control> c) {
      return inner.processCompareRequest(id, op, c);
    }

    @Override
    public LDAPMessage processExtendedRequest(
        int id, ExtendedRequestProtocolOp op, List<Control> c) {
      return inner.processExtendedRequest(id, op, c);
    }

    @Override
    public void processAbandonRequest(int id, AbandonRequestProtocolOp op, List<Control> c) {
      subscribers.removeIf(
          s -> s.connection() == connection && s.messageId() == op.getIDToAbandon());
    }
  }
}
