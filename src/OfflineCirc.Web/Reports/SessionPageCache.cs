using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Memory;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Reports;

/// <summary>
/// Serves a session's exceptions page again from memory while nothing in the session has changed (docs/adr-006).
/// An entry is only ever served to the person and browser it was made for. The key holds the user, their roles and
/// home library, the anti-forgery cookie the page's forms are bound to, and the address. It also holds the current
/// row version of the session: every replay batch, run, correction, force and resolution writes the session row, so
/// a change, made by this app or by a job elsewhere, leads to a new entry. A page carrying a one-time message, or one
/// that sets a cookie, is neither served from nor stored in the cache. The cache is looked in, and a page stored, only
/// from the second time its reader asks for its address: pages read once on the way through a session cost no copy,
/// and no statement of their own for the key.
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
        var reach = string.Join(',', user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)
            .Append(user.FindFirstValue(HomeOrgClaimsFactory.HomeOrgClaim) ?? ""));
        var browser = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(antiforgery)));
        // An address this reader never asked for cannot be in the cache: the page is built without looking, and reads
        // its header together with its rows. Asked again, it is looked for and stored.
        if (!AskedBefore(string.Join('\n', userId, reach, browser, http.Request.Path.Value, http.Request.QueryString.Value)))
        {
            return;
        }
        // Only the session's version: a page served from the cache needs nothing more, and one built after all reads its
        // header with its rows.
        if (await http.RequestServices.GetRequiredService<SessionHeaders>().VersionAsync(sessionId, cancellation) is not { } version)
        {
            return;
        }
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = Lifetime;
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.VaryByValues["user"] = userId;
        context.CacheVaryByRules.VaryByValues["reach"] = reach;
        context.CacheVaryByRules.VaryByValues["browser"] = browser;
        context.CacheVaryByRules.VaryByValues["session"] = version;
    }

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    // The addresses read once, by reader: a page is looked for and stored only when it is asked for again. A page
    // of 50 rows is about 150 KB, and storing it copies it into one array on the large-object heap, which the
    // collector reclaims only in its full collections: for pages read once (people paging on) that was a fifth of the
    // page's cost, for nothing.
    // Each is kept as a digest of 16 bytes, so the 50,000 most recent take a few megabytes.
    private readonly MemoryCache _asked = new(new MemoryCacheOptions { SizeLimit = 50_000 });

    /// <summary>Whether this reader asked for this address before; remembers that it has now.</summary>
    private bool AskedBefore(string key)
    {
        var digest = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));
        if (_asked.TryGetValue(digest, out _))
        {
            return true;
        }
        _asked.Set(digest, true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        return false;
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
}
