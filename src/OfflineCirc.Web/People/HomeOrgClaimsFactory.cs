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
        identity.AddClaim(new Claim(HomeOrgClaim, user.HomeOrgId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim("display_name", user.DisplayName));
        return identity;
    }
}
