using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.People;

/// <summary>
/// Every request's sign-in cookie is checked against the account as it is now (docs/adr-011): a new security stamp
/// (roles or home library changed, locked, password set, signed out) or a lock-out ends it on that very request.
/// One read of the user by key; Identity's own validator would also rebuild the principal and renew the cookie each time.
/// </summary>
public static class SignInRevalidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var stampClaim = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var user = context.Principal is { } principal ? await users.GetUserAsync(principal) : null;
        var stamp = context.Principal?.FindFirstValue(stampClaim);
        // Identity's stamp check does not look at lock-out, and an automatic lock after failed sign-ins keeps the stamp.
        if (user is null || stamp is null || stamp != user.SecurityStamp || await users.IsLockedOutAsync(user))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }
}
