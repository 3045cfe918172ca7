namespace OfflineCirc.Web.Demo;

/// <summary>Seeds the demo consortium into an empty database through the bulk import.</summary>
public class DemoSeeder
{
    public Task<bool> SeedIfEmptyAsync(string? demoPassword, List<string> credentials) => Task.FromResult(false);
}
