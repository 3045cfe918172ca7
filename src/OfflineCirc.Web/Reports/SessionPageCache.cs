using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.OutputCaching;
using Npgsql;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Reports;

/// <summary>
/// Serves a session's exceptions page again from memory while nothing in the session has changed (docs/adr-006).
/// An entry is only ever served to the person and browser it was made for. The key holds the user, their roles and
/// home library, the anti-forgery cookie the page's forms are bound to, and the address. It also holds the current
/// row version of the session: every replay batch, run, correction, force and resolution writes the session row, so
/// a change, made by this app or by a job elsewhere, leads to a new entry. A page carrying a one-time message, or one
/// that sets a cookie, is neither served from nor stored in the cache.
/// </summary>
public sealed class SessionPageCachePolicy : IOutputCachePolicy
{
    /// <summary>The cookie that carries a one-time message to the next page.</summary>
    public const string TempDataCookie = ".AspNetCore.Mvc.CookieTempDataProvider";

    async ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        var user = http.User;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var antiforgery = http.Request.Cookies[Portal.AntiforgeryCookie];
        if (!HttpMethods.IsGet(http.Request.Method) || userId is null || antiforgery is null
            || http.Request.Cookies.ContainsKey(TempDataCookie)
            || !long.TryParse(http.Request.RouteValues["id"]?.ToString() ?? http.Request.Query["id"].ToString(), out var sessionId))
        {
            return;
        }
        var version = await SessionVersionAsync(http.RequestServices.GetRequiredService<NpgsqlDataSource>(), sessionId, cancellation);
        if (version is null)
        {
            return;
        }
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = TimeSpan.FromMinutes(10);
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.VaryByValues["user"] = userId;
        context.CacheVaryByRules.VaryByValues["reach"] = string.Join(',',
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)
                .Append(user.FindFirstValue(HomeOrgClaimsFactory.HomeOrgClaim) ?? ""));
        context.CacheVaryByRules.VaryByValues["browser"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(antiforgery)));
        context.CacheVaryByRules.VaryByValues["session"] = version;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
        {
            context.AllowCacheStorage = false;
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>The session row's version (xmin), which any update of the row changes; null when there is no such session.</summary>
    private static async Task<string?> SessionVersionAsync(NpgsqlDataSource dataSource, long sessionId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT xmin::text FROM sessions WHERE id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        return (string?)await cmd.ExecuteScalarAsync(ct);
    }
}
