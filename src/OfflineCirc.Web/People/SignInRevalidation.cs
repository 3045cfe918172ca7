using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.People;

/// <summary>
/// Every request's sign-in cookie is checked against the account as it is now (docs/adr-011): a new security stamp
/// (roles or home library changed, locked, password set, signed out) or a lock-out ends it on the next request.
/// </summary>
public static class SignInRevalidation
{
    /// <summary>How old a cookie's check may be; zero checks on every request, so taking rights away is immediate.</summary>
    public static readonly TimeSpan Interval = TimeSpan.Zero;

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        await SecurityStampValidator.ValidatePrincipalAsync(context);
        if (context.Principal is null)
        {
            return;
        }
        // Identity's stamp check does not look at lock-out, and an automatic lock after failed sign-ins keeps the stamp.
        var users = context.HttpContext.RequestServices.GetRequiredService<UserManager<AppUser>>();
        var user = await users.GetUserAsync(context.Principal);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }
}
