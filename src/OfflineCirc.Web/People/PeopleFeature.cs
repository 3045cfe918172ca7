using OfflineCirc.Web.Lookup;

namespace OfflineCirc.Web.People;

/// <summary>Wiring of this feature: its services and its API endpoints.</summary>
public static class PeopleFeature
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<WorkstationRegistry>();
        services.AddScoped<UserAdmin>();
        services.AddScoped<PatronLookup>();
        services.AddScoped<ItemLookup>();
    }

    public static void Map(RouteGroupBuilder api)
    {
        WorkstationEndpoints.Map(api);
        LookupEndpoints.Map(api);
    }
}
