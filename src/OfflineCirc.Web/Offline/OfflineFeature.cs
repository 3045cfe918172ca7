namespace OfflineCirc.Web.Offline;

/// <summary>Wiring of this feature: its services and its API endpoints.</summary>
public static class OfflineFeature
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var rules = new BarcodeRulesOptions();
        configuration.GetSection("Barcodes").Bind(rules);
        services.AddSingleton(rules);
        services.AddScoped<BlockList>();
        services.AddScoped<CaptureUpload>();
        services.AddSingleton(sp => ServiceWorkerScript.Build(sp.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider));
    }

    public static void Map(RouteGroupBuilder api) => OfflineEndpoints.Map(api);

    /// <summary>What the capture page needs outside /api: its service worker.</summary>
    public static void MapPage(IEndpointRouteBuilder app) => ServiceWorkerScript.Map(app);
}
