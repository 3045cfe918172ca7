using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;
using OfflineCirc.Web.Infrastructure;

namespace OfflineCirc.Web.People;

/// <summary>Accepts "Authorization: Bearer oc_..." personal access tokens on the API.</summary>
/// <remarks>
/// A token is checked on every request against the account as it is now: revoked, locked, its roles and its home
/// library. All of that is one statement on the pool of reads, which also gathers any user and role claims, so the
/// principal holds what Identity's claims factory gives a cookie's (<see cref="HomeOrgClaimsFactory"/>). Going through
/// the factory took five round trips, on connections reset before use, per request: most of a status poll's time.
/// The reading is kept in memory while this node hears every change to accounts and tokens (<see cref="AccountChecks"/>,
/// docs/adr-019), so most requests need no round trip for it; the lock-out is judged against the clock each time.
/// </remarks>
public class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    [FromKeyedServices(Database.Reads)] NpgsqlDataSource reads,
    NpgsqlDataSource main,
    IOptions<IdentityOptions> identity,
    AccountChecks checks)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";

    // Claims as Identity's factory adds them: the user's own, then each role's (a claim without a type or value is
    // one Identity itself could not load).
    private const string Sql = """
        WITH t AS (SELECT id, user_id, revoked_at, last_used_at FROM api_tokens WHERE token_hash = $1),
             roles AS (SELECT r.id, r.name FROM "AspNetUserRoles" ur JOIN "AspNetRoles" r ON r.id = ur.role_id
                       WHERE ur.user_id = (SELECT user_id FROM t) AND r.name IS NOT NULL),
             claims AS (SELECT 0 AS k, c.id, c.claim_type, c.claim_value FROM "AspNetUserClaims" c WHERE c.user_id = (SELECT user_id FROM t)
                        UNION ALL
                        SELECT 1, c.id, c.claim_type, c.claim_value FROM "AspNetRoleClaims" c WHERE c.role_id IN (SELECT id FROM roles))
        SELECT t.id, t.revoked_at, t.last_used_at, u.id, u.user_name, u.email, u.security_stamp, u.lockout_end,
               u.home_org_id, u.display_name,
               ARRAY(SELECT name FROM roles ORDER BY name),
               ARRAY(SELECT claim_type FROM claims WHERE claim_type IS NOT NULL AND claim_value IS NOT NULL ORDER BY k, id),
               ARRAY(SELECT claim_value FROM claims WHERE claim_type IS NOT NULL AND claim_value IS NOT NULL ORDER BY k, id),
               u.lockout_enabled
        FROM t JOIN "AspNetUsers" u ON u.id = t.user_id
        """;

    private const string TouchSql = "UPDATE api_tokens SET last_used_at = now() WHERE id = $1";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length == 0)
        {
            return AuthenticateResult.Fail("The access token is empty.");
        }
        var ct = Context.RequestAborted;
        var hash = ApiTokens.Hash(secret);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // Taken before anything is read or used: a reading is kept only if no change was heard since.
        var generation = checks.Generation;
        var kept = checks.TryGetToken(hash, out var token, out var renew);
        if (!kept)
        {
            if (await ReadAsync(reads, hash, ct) is not { } read)
            {
                return AuthenticateResult.Fail("This access token is not known.");
            }
            token = read;
            checks.KeepToken(hash, token, generation);
        }
        else if (renew)
        {
            _ = checks.RenewTokenAsync(hash, c => ReadAsync(reads, hash, c), Logger);
        }
        if (token.Revoked)
        {
            return AuthenticateResult.Fail("This access token was revoked.");
        }
        if (AccountLock.IsLockedOut(token.LockoutEnabled, token.LockoutEnd, DateTimeOffset.UtcNow))
        {
            return AuthenticateResult.Fail("This account is locked.");
        }
        // Last use is informative; updating it at most once a minute keeps reads cheap. The kept reading learns of it,
        // so the next minute's requests do not update it again; the update itself is no change the trigger reports.
        // It is written beside the request, not before it: a request never waits for a write it does not need.
        if (token.LastUsed is null || token.LastUsed < DateTimeOffset.UtcNow.AddMinutes(-1))
        {
            checks.KeepToken(hash, token with { LastUsed = DateTimeOffset.UtcNow }, generation);
            _ = TouchAsync(token.TokenId);
        }
        ServerTiming.Add(Response, "auth", started, kept);
        return AuthenticateResult.Success(new AuthenticationTicket(Principal(token), SchemeName));
    }

    private async Task TouchAsync(long tokenId)
    {
        try
        {
            await using var touch = main.CreateCommand(TouchSql);
            touch.Parameters.Add(new NpgsqlParameter { Value = tokenId });
            await touch.ExecuteNonQueryAsync(CancellationToken.None);
        }
#pragma warning disable CA1031 // The time of last use is informative; a minute later the next request writes it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Logger.LogDebug(e, "A token's time of last use was not written");
        }
    }

    /// <summary>The token and its account as they are now, in one statement; null when no token has this hash.</summary>
    private static async Task<TokenCheck?> ReadAsync(NpgsqlDataSource reads, string hash, CancellationToken ct)
    {
        await using var cmd = reads.CreateCommand(Sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = hash });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
        return new TokenCheck(reader.GetInt64(0), !reader.IsDBNull(1), Time(2), reader.GetString(3), Text(4), Text(5), Text(6),
            reader.GetBoolean(13), Time(7), reader.GetInt32(8), reader.GetString(9), reader.GetFieldValue<string[]>(10),
            reader.GetFieldValue<string[]>(11), reader.GetFieldValue<string[]>(12));
    }

    /// <summary>
    /// The claims Identity's factory makes for the account (id, user name, e-mail, security stamp, its own claims, each
    /// role with the role's claims) and the home library's; the identity names this scheme, so the API can tell token
    /// callers (no anti-forgery needed) from cookie callers.
    /// </summary>
    private ClaimsPrincipal Principal(TokenCheck token)
    {
        var types = identity.Value.ClaimsIdentity;
        var id = new ClaimsIdentity(SchemeName, types.UserNameClaimType, types.RoleClaimType);
        id.AddClaim(new Claim(types.UserIdClaimType, token.UserId));
        id.AddClaim(new Claim(types.UserNameClaimType, token.UserName ?? ""));
        if (token.Email is not null)
        {
            id.AddClaim(new Claim(types.EmailClaimType, token.Email));
        }
        if (token.Stamp is not null)
        {
            id.AddClaim(new Claim(types.SecurityStampClaimType, token.Stamp));
        }
        id.AddClaims(token.ClaimTypes.Zip(token.ClaimValues, (type, value) => new Claim(type, value)));
        id.AddClaims(token.Roles.Select(role => new Claim(types.RoleClaimType, role)));
        HomeOrgClaimsFactory.AddHomeClaims(id, token.HomeOrgId, token.DisplayName);
        return new ClaimsPrincipal(id);
    }
}
