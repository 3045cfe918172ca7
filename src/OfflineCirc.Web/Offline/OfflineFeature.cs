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
    }

    public static void Map(RouteGroupBuilder api) => OfflineEndpoints.Map(api);
}
