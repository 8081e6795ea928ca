package io.inkan.cache;

import net.spy.memcached.CachedData;
import net.spy.memcached.transcoders.Transcoder;

/**
 * Stores values as the bytes given and reads any item back as its bytes, whatever flags a writer
 * set: what a value means is decided by {@link SignedValueCodec}, never by memcached flags.
 */
final class RawBytesTranscoder implements Transcoder<byte[]> {
  @Override
  public boolean asyncDecode(CachedData data) {
    return false;
  }

  @Override
  public CachedData encode(byte[] value) {
    return new CachedData(0, value, getMaxSize());
  }

  @Override
  public byte[] decode(CachedData data) {
    return data.getData();
  }

  @Override
  public int getMaxSize() {
    return CachedData.MAX_SIZE;
  }
}
