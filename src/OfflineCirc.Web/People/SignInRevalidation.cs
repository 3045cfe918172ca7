using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OfflineCirc.Web.People;

/// <summary>
/// Every request's sign-in cookie is checked against the account as it is now (docs/adr-011): a new security stamp
/// (roles or home library changed, locked, password set, signed out) or a lock-out ends it on that very request.
/// One read by key of the three columns that decide it, as Identity's UserManager would judge them; loading the whole
/// user through the store would be most of a page's work outside the page. Identity's own validator would also rebuild
/// the principal and renew the cookie each time. The reading is kept in memory while this node hears every change to
/// accounts (<see cref="AccountChecks"/>, docs/adr-019), so most requests need no round trip for it.
/// </summary>
public static class SignInRevalidation
{
    private const string Sql = """SELECT security_stamp, lockout_enabled, lockout_end FROM "AspNetUsers" WHERE id = $1""";

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var claims = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var userId = context.Principal?.FindFirstValue(claims.UserIdClaimType);
        var stamp = context.Principal?.FindFirstValue(claims.SecurityStampClaimType);
        if (userId is null || stamp is null || await ReadAsync(services, userId, context.HttpContext.RequestAborted) is not { } account
            || account.Stamp != stamp
            // Identity's stamp check does not look at lock-out, and an automatic lock after failed sign-ins keeps the stamp.
            || AccountLock.IsLockedOut(account.LockoutEnabled, account.LockoutEnd, DateTimeOffset.UtcNow))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }

    /// <summary>The account's stamp and lock-out as they are now: kept in memory while changes are heard (<see cref="AccountChecks"/>); null when there is no such account.</summary>
    private static async Task<StampCheck?> ReadAsync(IServiceProvider services, string userId, CancellationToken ct)
    {
        var checks = services.GetRequiredService<AccountChecks>();
        var reads = services.GetRequiredKeyedService<NpgsqlDataSource>(Infrastructure.Database.Reads);
        if (checks.TryGetStamp(userId, out var kept, out var renew))
        {
            if (renew)
            {
                // Singletons only: the request may be over by the time it is read.
                _ = checks.RenewStampAsync(userId, c => ReadStampAsync(reads, userId, c),
                    services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInRevalidation)));
            }
            return kept;
        }
        var generation = checks.Generation;
        if (await ReadStampAsync(reads, userId, ct) is { } read)
        {
            checks.KeepStamp(userId, read, generation);
            return read;
        }
        return null;
    }

    private static async Task<StampCheck?> ReadStampAsync(NpgsqlDataSource reads, string userId, CancellationToken ct)
    {
        await using var cmd = reads.CreateCommand(Sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new StampCheck(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetBoolean(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }
}
