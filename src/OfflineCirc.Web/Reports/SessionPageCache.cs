using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.OutputCaching;
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
        // The page reads the same header again from the request's services, so the key costs no statement of its own.
        if (await http.RequestServices.GetRequiredService<SessionHeaders>().ReadAsync(sessionId, cancellation) is not { } header)
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
        context.CacheVaryByRules.VaryByValues["session"] = header.Version;
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
