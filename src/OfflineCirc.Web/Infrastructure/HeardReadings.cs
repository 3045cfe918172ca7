using System.Collections.Concurrent;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>
/// Readings of the database kept in memory only while this node hears every change to what they read: a trigger
/// notifies a channel on each change, whoever makes it, and <see cref="ChangeListener"/> calls <see cref="Changed"/>
/// (docs/adr-019, docs/adr-021). Each kind of reading has a shelf of its own (<see cref="Shelf{TKey, TValue}"/>); one
/// notice forgets every shelf.
/// </summary>
/// <remarks>
/// <para>
/// A reading is kept with the count of changes heard before it was read (<see cref="Generation"/>, taken before the
/// statement runs) and is used only while that count stands. So a reading that raced a change, read before the change
/// committed and kept after it was heard, is never used.
/// </para>
/// <para>
/// Without a listening connection nothing is kept or used: every request reads the database. When the connection comes
/// back everything is forgotten, since changes made meanwhile were not heard. A reading is also used for its lifetime at
/// most, a bound on what a change not heard (a connection lost without a word) could cost.
/// </para>
/// </remarks>
public sealed class HeardReadings(TimeSpan lifetime, int maxEntries)
{
    private readonly List<Action> _clears = [];
    private long _generation;
    private volatile bool _listening;

    /// <summary>The count of changes heard so far: taken before a statement reads, handed back to Keep.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Whether changes are being heard, so readings may be kept.</summary>
    public bool Listening => _listening;

    /// <summary>Forgets every reading of every shelf: something they read changed (or may have).</summary>
    public void Changed()
    {
        Interlocked.Increment(ref _generation);
        foreach (var clear in _clears)
        {
            clear();
        }
    }

    /// <summary>Changes are heard from now on, or no longer; either way, what was kept is forgotten.</summary>
    public void SetListening(bool listening)
    {
        _listening = listening;
        Changed();
    }

    /// <summary>A shelf of readings of one kind; shelves are made when the owner is built, before any reading.</summary>
    public Shelf<TKey, TValue> NewShelf<TKey, TValue>(IEqualityComparer<TKey>? comparer = null) where TKey : notnull
    {
        var shelf = new Shelf<TKey, TValue>(this, comparer);
        _clears.Add(shelf.Clear);
        return shelf;
    }

    public sealed class Shelf<TKey, TValue> where TKey : notnull
    {
        private readonly HeardReadings _owner;
        private readonly ConcurrentDictionary<TKey, Entry> _entries;

        private sealed record Entry(TValue Value, long Generation, long ReadAt);

        internal Shelf(HeardReadings owner, IEqualityComparer<TKey>? comparer)
        {
            _owner = owner;
            _entries = new ConcurrentDictionary<TKey, Entry>(comparer ?? EqualityComparer<TKey>.Default);
        }

        /// <summary>The keys kept now, whether or not their readings are still good.</summary>
        public IEnumerable<TKey> Keys => _entries.Keys;

        public bool TryGet(TKey key, out TValue value)
        {
            if (_owner._listening && _entries.TryGetValue(key, out var entry) && entry.Generation == _owner.Generation
                && Environment.TickCount64 - entry.ReadAt < (long)_owner.LifetimeMilliseconds)
            {
                value = entry.Value;
                return true;
            }
            value = default!;
            return false;
        }

        /// <summary>Keeps a reading made after <paramref name="generation"/> was taken, unless a change was heard since.</summary>
        public void Keep(TKey key, TValue value, long generation)
        {
            if (!_owner._listening || generation != _owner.Generation)
            {
                return;
            }
            if (_entries.Count >= _owner.MaxEntries)
            {
                _entries.Clear();
            }
            // Kept with the count it was read under: if a change was heard meanwhile, TryGet will not use it.
            _entries[key] = new Entry(value, generation, Environment.TickCount64);
        }

        internal void Clear() => _entries.Clear();
    }

    private double LifetimeMilliseconds => lifetime.TotalMilliseconds;

    private int MaxEntries => maxEntries;
}
