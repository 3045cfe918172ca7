using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.People;

public static class PeopleSetup
{
    public const string SmartScheme = "CookieOrToken";
    public const string StaffOrAbove = "StaffOrAbove";
    public const string AdministratorOrAbove = "AdministratorOrAbove";
    public const string ReadReports = "ReadReports";
    public const string ConsortiumWide = "ConsortiumWide";

    public static IServiceCollection AddPeople(this IServiceCollection services)
    {
        // Sign-in checks kept in memory while this node hears every change to accounts (docs/adr-019; the readings
        // and the save interceptor are registered with the database).
        services.AddHostedService<Infrastructure.ChangeListener>();
        services.AddIdentity<AppUser, IdentityRole>(o =>
            {
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
            })
            .AddEntityFrameworkStores<CircDbContext>()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<HomeOrgClaimsFactory>();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.Cookie.Name = "offlinecirc";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            // Scripts and the capture page get status codes, not a login page.
            o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden);
            o.Events.OnValidatePrincipal = SignInRevalidation.ValidateAsync;
        });

        services.AddAuthentication(o =>
            {
                // AddIdentity made the cookie the default for authenticating; the smart scheme must replace it or bearer tokens are never read.
                o.DefaultScheme = SmartScheme;
                o.DefaultAuthenticateScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
                o.DefaultForbidScheme = SmartScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? TokenAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .AddPolicy(StaffOrAbove, p => p.RequireRole(Roles.Staff, Roles.Administrator, Roles.ConsortiumAdministrator))
            .AddPolicy(AdministratorOrAbove, p => p.RequireRole(Roles.Administrator, Roles.ConsortiumAdministrator))
            .AddPolicy(ReadReports, p => p.RequireRole(Roles.Administrator, Roles.Auditor, Roles.ConsortiumAdministrator))
            .AddPolicy(ConsortiumWide, p => p.RequireRole(Roles.ConsortiumAdministrator, Roles.Auditor));

        services.AddScoped<UserScope>();
        services.AddScoped<ApiTokens>();
        return services;
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
