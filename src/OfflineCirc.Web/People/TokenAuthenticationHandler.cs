using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.People;

/// <summary>Accepts "Authorization: Bearer oc_..." personal access tokens on the API.</summary>
public class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CircDbContext db,
    IUserClaimsPrincipalFactory<AppUser> principals)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";

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
        var hash = ApiTokens.Hash(secret);
        var token = await db.ApiTokens.Include(t => t.User).SingleOrDefaultAsync(t => t.TokenHash == hash);
        if (token?.User is null)
        {
            return AuthenticateResult.Fail("This access token is not known.");
        }
        if (token.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("This access token was revoked.");
        }
        if (token.User.LockoutEnd is { } end && end > DateTimeOffset.UtcNow)
        {
            return AuthenticateResult.Fail("This account is locked.");
        }
        // Last use is informative; updating it at most once a minute keeps reads cheap.
        if (token.LastUsedAt is null || token.LastUsedAt < DateTimeOffset.UtcNow.AddMinutes(-1))
        {
            await db.ApiTokens.Where(t => t.Id == token.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, DateTimeOffset.UtcNow));
        }
        var created = await principals.CreateAsync(token.User);
        // The identity names this scheme, so the API can tell token callers (no anti-forgery needed) from cookie callers.
        var source = (ClaimsIdentity)created.Identity!;
        var principal = new ClaimsPrincipal(new ClaimsIdentity(source.Claims, SchemeName, source.NameClaimType, source.RoleClaimType));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
