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
    private readonly long _lifetimeMilliseconds = (long)lifetime.TotalMilliseconds;
    private readonly int _maxEntries = maxEntries;
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

        private sealed class Entry(TValue value, long generation, long readAt)
        {
            public TValue Value { get; } = value;
            public long Generation { get; } = generation;
            public long ReadAt { get; } = readAt;

            // Set once, by the first request that finds this reading due to be read again.
            public int Renewing;
        }

        internal Shelf(HeardReadings owner, IEqualityComparer<TKey>? comparer)
        {
            _owner = owner;
            _entries = new ConcurrentDictionary<TKey, Entry>(comparer ?? EqualityComparer<TKey>.Default);
        }

        /// <summary>The keys kept now, whether or not their readings are still good.</summary>
        public IEnumerable<TKey> Keys => _entries.Keys;

        public bool TryGet(TKey key, out TValue value) => TryGet(key, out value, out _, claim: false);

        /// <summary>
        /// Like <see cref="TryGet(TKey, out TValue)"/>, and says whether the caller should read the key again now, off the
        /// request: the reading has lived half its lifetime, and no other caller was told so. Read again before it
        /// expires, a reading in use never sends a request to the database to wait for it.
        /// </summary>
        public bool TryGet(TKey key, out TValue value, out bool renew) => TryGet(key, out value, out renew, claim: true);

        private bool TryGet(TKey key, out TValue value, out bool renew, bool claim)
        {
            renew = false;
            var age = _entries.TryGetValue(key, out var entry) ? Environment.TickCount64 - entry.ReadAt : long.MaxValue;
            if (_owner._listening && entry is not null && entry.Generation == _owner.Generation && age < _owner._lifetimeMilliseconds)
            {
                value = entry.Value;
                renew = claim && age >= _owner._lifetimeMilliseconds / 2 && Interlocked.Exchange(ref entry.Renewing, 1) == 0;
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
            if (_entries.Count >= _owner._maxEntries)
            {
                _entries.Clear();
            }
            // Kept with the count it was read under: if a change was heard meanwhile, TryGet will not use it.
            _entries[key] = new Entry(value, generation, Environment.TickCount64);
        }

        /// <summary>
        /// Reads <paramref name="key"/> again with <paramref name="read"/>, off any request, and keeps what it reads
        /// unless a change is heard meanwhile; nothing read (null) is not kept. A failure is only logged: the reading in
        /// use expires, and the next request after that reads the database itself.
        /// </summary>
        public async Task ReadAgainAsync(TKey key, Func<CancellationToken, Task<TValue?>> read, ILogger logger)
        {
            try
            {
                var generation = _owner.Generation;
                if (await read(CancellationToken.None) is { } value)
                {
                    Keep(key, value, generation);
                }
            }
#pragma warning disable CA1031 // A reading not taken again expires, and the next request reads the database itself.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogDebug(e, "A kept reading was not read again; the next request reads it once it expires");
            }
        }

        internal void Clear() => _entries.Clear();
    }
}
