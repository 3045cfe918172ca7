using OfflineCirc.Web.Infrastructure;

namespace OfflineCirc.Web.People;

/// <summary>What a sign-in cookie's check reads of an account (<see cref="SignInRevalidation"/>).</summary>
public sealed record StampCheck(string? Stamp, bool LockoutEnabled, DateTimeOffset? LockoutEnd);

/// <summary>What a bearer token's check reads of the token and its account (<see cref="TokenAuthenticationHandler"/>).</summary>
public sealed record TokenCheck(
    long TokenId, bool Revoked, DateTimeOffset? LastUsed, string UserId, string? UserName, string? Email, string? Stamp,
    bool LockoutEnabled, DateTimeOffset? LockoutEnd, int HomeOrgId, string DisplayName, string[] Roles, string[] ClaimTypes, string[] ClaimValues);

/// <summary>
/// The sign-in checks' readings of accounts, kept in memory only while the database can tell this node of every change
/// to them (docs/adr-019, <see cref="HeardReadings"/>). A trigger on each table they read notifies the channel
/// <see cref="Channel"/> on every change, made by any node or by hand; <see cref="ChangeListener"/> hears it and calls
/// <see cref="Changed"/>, which forgets every reading. Changes this node makes itself forget them at once too, before
/// the request that made them answers (<see cref="AccountChangeInterceptor"/>).
/// </summary>
public sealed class AccountChecks
{
    public const string Channel = "account_changes";

    /// <summary>The longest a reading is used, heard changes or not.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    // Far more accounts and tokens than a consortium signs in with at once; past it, everything is forgotten.
    private const int MaxEntries = 20_000;

    private readonly HeardReadings _heard = new(Lifetime, MaxEntries);
    private readonly HeardReadings.Shelf<string, StampCheck> _stamps;
    private readonly HeardReadings.Shelf<string, TokenCheck> _tokens;

    public AccountChecks()
    {
        _stamps = _heard.NewShelf<string, StampCheck>(StringComparer.Ordinal);
        _tokens = _heard.NewShelf<string, TokenCheck>(StringComparer.Ordinal);
    }

    /// <summary>The count of changes heard so far: taken before a statement reads an account, handed back to Keep.</summary>
    public long Generation => _heard.Generation;

    /// <summary>Whether changes are being heard, so readings may be kept.</summary>
    public bool Listening => _heard.Listening;

    /// <summary>Forgets every reading: an account, a role, a claim or a token changed (or may have).</summary>
    public void Changed() => _heard.Changed();

    /// <summary>Changes are heard from now on, or no longer; either way, what was kept is forgotten.</summary>
    internal void SetListening(bool listening) => _heard.SetListening(listening);

    /// <summary>The kept reading of an account's stamp; <paramref name="renew"/>: read it again now, off the request.</summary>
    public bool TryGetStamp(string userId, out StampCheck check, out bool renew) => _stamps.TryGet(userId, out check, out renew);

    public void KeepStamp(string userId, StampCheck check, long generation) => _stamps.Keep(userId, check, generation);

    /// <summary>Reads an account's stamp again off the request (<see cref="HeardReadings.Shelf{TKey, TValue}.ReadAgainAsync"/>).</summary>
    public Task RenewStampAsync(string userId, Func<CancellationToken, Task<StampCheck?>> read, ILogger logger) =>
        _stamps.ReadAgainAsync(userId, read, logger);

    /// <summary>The kept reading of a token; <paramref name="renew"/>: read it again now, off the request.</summary>
    public bool TryGetToken(string tokenHash, out TokenCheck check, out bool renew) => _tokens.TryGet(tokenHash, out check, out renew);

    public void KeepToken(string tokenHash, TokenCheck check, long generation) => _tokens.Keep(tokenHash, check, generation);

    /// <summary>Reads a token again off the request (<see cref="HeardReadings.Shelf{TKey, TValue}.ReadAgainAsync"/>).</summary>
    public Task RenewTokenAsync(string tokenHash, Func<CancellationToken, Task<TokenCheck?>> read, ILogger logger) =>
        _tokens.ReadAgainAsync(tokenHash, read, logger);
}
