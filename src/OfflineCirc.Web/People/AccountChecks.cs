using System.Collections.Concurrent;

namespace OfflineCirc.Web.People;

/// <summary>What a sign-in cookie's check reads of an account (<see cref="SignInRevalidation"/>).</summary>
public sealed record StampCheck(string? Stamp, bool LockoutEnabled, DateTimeOffset? LockoutEnd);

/// <summary>What a bearer token's check reads of the token and its account (<see cref="TokenAuthenticationHandler"/>).</summary>
public sealed record TokenCheck(
    long TokenId, bool Revoked, DateTimeOffset? LastUsed, string UserId, string? UserName, string? Email, string? Stamp,
    bool LockoutEnabled, DateTimeOffset? LockoutEnd, int HomeOrgId, string DisplayName, string[] Roles, string[] ClaimTypes, string[] ClaimValues);

/// <summary>
/// The sign-in checks' readings of accounts, kept in memory only while the database can tell this node of every change
/// to them (docs/adr-019). A trigger on each table they read notifies the channel <see cref="Channel"/> on every change,
/// made by any node or by hand; <see cref="AccountChangeListener"/> hears it and calls <see cref="Changed"/>, which
/// forgets every reading. Changes this node makes itself forget them at once too, before the request that made them
/// answers (<see cref="AccountChangeInterceptor"/>).
/// </summary>
/// <remarks>
/// <para>
/// A reading is kept with the count of changes heard before it was read (<see cref="Generation"/>, taken before the
/// statement runs) and is used only while that count stands. So a reading that raced a change, read before the change
/// committed and kept after it was heard, is never used.
/// </para>
/// <para>
/// Without a listening connection nothing is kept or used: every check reads the database, as it always did. When the
/// connection comes back every reading is forgotten, since changes made meanwhile were not heard. A reading is also used
/// for <see cref="Lifetime"/> at most, a bound on what a change not heard (a connection lost without a word) could cost.
/// </para>
/// </remarks>
public sealed class AccountChecks
{
    public const string Channel = "account_changes";

    /// <summary>The longest a reading is used, heard changes or not.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    // Far more accounts and tokens than a consortium signs in with at once; past it, everything is forgotten.
    private const int MaxEntries = 20_000;

    private readonly ConcurrentDictionary<string, Entry<StampCheck>> _stamps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<TokenCheck>> _tokens = new(StringComparer.Ordinal);
    private long _generation;
    private volatile bool _listening;

    private sealed record Entry<T>(T Value, long Generation, long ReadAt);

    /// <summary>The count of changes heard so far: taken before a statement reads an account, handed back to Keep.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Whether changes are being heard, so readings may be kept.</summary>
    public bool Listening => _listening;

    /// <summary>Forgets every reading: an account, a role, a claim or a token changed (or may have).</summary>
    public void Changed()
    {
        Interlocked.Increment(ref _generation);
        _stamps.Clear();
        _tokens.Clear();
    }

    /// <summary>Changes are heard from now on, or no longer; either way, what was kept is forgotten.</summary>
    internal void SetListening(bool listening)
    {
        _listening = listening;
        Changed();
    }

    public bool TryGetStamp(string userId, out StampCheck check) => TryGet(_stamps, userId, out check);

    public void KeepStamp(string userId, StampCheck check, long generation) => Keep(_stamps, userId, check, generation);

    public bool TryGetToken(string tokenHash, out TokenCheck check) => TryGet(_tokens, tokenHash, out check);

    public void KeepToken(string tokenHash, TokenCheck check, long generation) => Keep(_tokens, tokenHash, check, generation);

    private bool TryGet<T>(ConcurrentDictionary<string, Entry<T>> entries, string key, out T value)
    {
        if (_listening && entries.TryGetValue(key, out var entry) && entry.Generation == Generation
            && Environment.TickCount64 - entry.ReadAt < (long)Lifetime.TotalMilliseconds)
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    private void Keep<T>(ConcurrentDictionary<string, Entry<T>> entries, string key, T value, long generation)
    {
        if (!_listening || generation != Generation)
        {
            return;
        }
        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
        }
        // Kept with the count it was read under: if a change was heard meanwhile, TryGet will not use it.
        entries[key] = new Entry<T>(value, generation, Environment.TickCount64);
    }
}
