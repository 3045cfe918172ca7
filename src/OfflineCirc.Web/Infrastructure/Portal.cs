using Microsoft.AspNetCore.HttpOverrides;
using OfflineCirc.Web.People;
using OfflineCirc.Web.Reports;
using Serilog;

namespace OfflineCirc.Web.Infrastructure;

public static class Portal
{
    public const string AntiforgeryCookie = "offlinecirc.af";

    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddProblemDetails();
        services.AddHardening();
        services.AddSingleton<PageAdmission>();
        services.AddAntiforgery(o =>
        {
            o.HeaderName = "X-CSRF-TOKEN";
            o.Cookie.Name = AntiforgeryCookie;
        });
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/Account/Login");
            o.Conventions.AllowAnonymousToPage("/Account/AccessDenied");
            o.Conventions.AllowAnonymousToPage("/Error");
            // A session's exceptions page is read over and over while it does not change (docs/adr-006).
            o.Conventions.AddPageApplicationModelConvention("/Sessions/Exceptions",
                page => page.EndpointMetadata.Add(new SessionPageCachePolicy()));
        });
        // A page of 50 exceptions is about 150 KB; the two hundred most recent fit, and memory stays bounded.
        services.AddOutputCache(o => o.SizeLimit = 32L * 1024 * 1024);
        services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);
        return services;
    }

    public static void UsePortal(this WebApplication app)
    {
        app.UseServerTiming();
        app.UseForwardedHeaders();
        app.UseErrorPages();
        app.UseSerilogRequestLogging();
        app.UseHardening();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseRouting();
        app.UsePageAdmission();
        Sessions.SessionStatusCache.ForgetOwnChanges(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseOutputCache();
        app.MapJobsDashboard();
        app.MapHealthEndpoints();
        app.MapRazorPages();
    }
}
