using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.People;

/// <summary>Puts the user's home org unit into the sign-in cookie so scoping needs no extra lookup of the user.</summary>
public class HomeOrgClaimsFactory(UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    public const string HomeOrgClaim = "home_org";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        AddHomeClaims(identity, user.HomeOrgId, user.DisplayName);
        return identity;
    }

    /// <summary>The claims this app adds to Identity's: the home library and the name shown; a token's principal adds them too.</summary>
    public static void AddHomeClaims(ClaimsIdentity identity, int homeOrgId, string displayName)
    {
        identity.AddClaim(new Claim(HomeOrgClaim, homeOrgId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim("display_name", displayName));
    }
}
