/**
 * Value duplication and re-homing of entries, shared by COPY, MOVE and RENAME (and later RESTORE/SWAPDB-like
 * code). Everything here is type-generic: adding a data type only means adding its case to {@link cloneValue}.
 */
import { HashValue } from '../types/hash.js';
import { List } from '../types/list.js';
import { MutableString } from '../types/mutable-string.js';
import { SortedSet } from '../types/sorted-set.js';
import { SetValue } from '../types/set.js';
import type { Database } from './database.js';
import { Entry, T, TYPE_NAMES } from './entry.js';
import { copyExactExpire } from './exact-expire.js';

/**
 * A deep copy of a value of type `type`, independent of the original (COPY must not share mutable structures:
 * a later LPUSH on the copy may not change the source). Immutable representations can be shared as they are.
 */
export function cloneValue(type: T, value: unknown): unknown {
  switch (type) {
    case T.String:
      // A latin1 string is immutable and can be shared; a MutableString stays mutable (and keeps reporting the
      // same encoding), like Redis's dupStringObject keeps raw/embstr/int.
      return value instanceof MutableString ? new MutableString(value.buf.subarray(0, value.length)) : value;
    case T.List:
      return (value as List).clone();
    case T.ZSet:
      return (value as SortedSet).clone();
    case T.Set:
      return (value as SetValue).clone();
    case T.Hash:
      return (value as HashValue).clone();
    // Each collection type adds its case here when it lands, copying its own structure:
    //   T.List   → a new list holding the same (immutable latin1 string) elements, in order;
    //   T.Set    → a new set (intset/listpack/hashtable representation preserved);
    //   T.ZSet   → a new sorted set: member→score map and skiplist/listpack rebuilt;
    //   T.Hash   → a new field→value map (per-field TTLs, if any, copied too);
    //   T.Stream → entries, last id, consumer groups with their PELs and consumers.
    default:
      throw new Error(`cloneValue: no clone function for type ${TYPE_NAMES[type] ?? type}`);
  }
}

/**
 * Stores `value` (already owned by the caller: moved or cloned) under `key` in `db` as a fresh entry with the
 * expiry of `from`, replacing whatever `key` held. `moved` keeps `from`'s access metadata too (RENAME, MOVE move
 * the same object in Redis; COPY makes a new one). A fresh Entry is needed even when moving: the source
 * database's expiry heap may still reference the old entry object.
 */
export function storeLike(db: Database, key: string, value: unknown, from: Entry, moved: boolean): Entry {
  const e = new Entry(key, from.type, value, db.ks.now);
  if (moved) {
    e.atime = from.atime;
    e.freq = from.freq;
  }
  if (from.expireAt !== 0) {
    e.expireAt = from.expireAt;
    copyExactExpire(from, e);
  }
  db.insert(e);
  return e;
}
