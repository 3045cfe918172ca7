namespace OfflineCirc.Web.Import;

/// <summary>Wiring of this feature: its services and its API endpoints.</summary>
public static class ImportFeature
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
    }

    public static void Map(RouteGroupBuilder api)
    {
    }
}
