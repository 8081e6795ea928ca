package io.inkan.dkim;

/**
 * Writes a DKIM-Signature field folded so that no line exceeds 78 characters (RFC 5322 §2.1.1):
 * tags are separated by "; ", whole tags move to a new line, long values ({@code h=}, {@code z=},
 * {@code b=}) break at their own allowed points. Continuation lines start with one space.
 */
final class SignatureFieldWriter {
  static final int LINE = 78;
  private final StringBuilder out = new StringBuilder(512);
  private int column;

  SignatureFieldWriter() {
    out.append(DkimSignature.FIELD_NAME).append(':');
    column = out.length();
  }

  /** Adds {@code name=value;} kept whole on one line where it fits. */
  SignatureFieldWriter tag(String name, String value) {
    word(name + "=" + value + ";");
    return this;
  }

  /** Adds a list tag written as {@code name=a : b : c;}, breaking after a separator. */
  SignatureFieldWriter listTag(String name, java.util.List<String> items) {
    for (int i = 0; i < items.size(); i++) {
      String item = (i == 0 ? name + "=" : "") + items.get(i);
      if (i > 0) {
        word(":");
      }
      word(i == items.size() - 1 ? item + ";" : item);
    }
    return this;
  }

  /** Adds {@code name=} then a value that may break anywhere except inside {@code =XX}. */
  SignatureFieldWriter breakableTag(String name, String value, boolean last) {
    word(name + "=");
    int i = 0;
    while (i < value.length()) {
      int unit = value.charAt(i) == '=' && i + 2 < value.length() ? 3 : 1;
      if (column + unit > LINE) {
        fold();
      }
      out.append(value, i, i + unit);
      column += unit;
      i += unit;
    }
    if (!last) {
      out.append(';');
      column++;
    }
    return this;
  }

  /** The field so far (with {@code b=} still empty when called before the value is known). */
  String text() {
    return out.toString();
  }

  private void word(String w) {
    if (column + 1 + w.length() > LINE && column > DkimSignature.FIELD_NAME.length() + 1) {
      fold();
    } else {
      out.append(' ');
      column++;
    }
    out.append(w);
    column += w.length();
  }

  private void fold() {
    out.append("\r\n ");
    column = 1;
  }
}
