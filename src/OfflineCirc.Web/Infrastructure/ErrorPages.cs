namespace OfflineCirc.Web.Infrastructure;

/// <summary>
/// How failures answer (docs/adr-009): scripts under /api get RFC 7807 problem details; people get a page in the
/// portal's layout with words, for a refused request, a missing page and a crash alike.
/// </summary>
public static class ErrorPages
{
    public static void UseErrorPages(this WebApplication app)
    {
        app.UseWhen(IsApi, api =>
        {
            if (!app.Environment.IsDevelopment())
            {
                api.UseExceptionHandler();
            }
            api.UseStatusCodePages(RefusalHandler.WriteApiStatusAsync);
        });
        app.UseWhen(ctx => !IsApi(ctx), pages =>
        {
            if (!app.Environment.IsDevelopment())
            {
                pages.UseExceptionHandler("/Error");
            }
            // An empty 400, 403 or 404 is shown again as /Error/{code}; a page that wrote its own body keeps it.
            pages.UseStatusCodePagesWithReExecute("/Error/{0}");
        });
    }

    private static bool IsApi(HttpContext ctx) => ctx.Request.Path.StartsWithSegments("/api");
}
