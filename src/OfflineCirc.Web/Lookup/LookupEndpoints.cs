using OfflineCirc.Web.Infrastructure;

namespace OfflineCirc.Web.Lookup;

/// <summary>Read-only look-up of patrons and items by barcode, scoped like the pages.</summary>
public static class LookupEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/patrons/{barcode}", async (string barcode, PatronLookup lookup, CancellationToken ct) =>
            await lookup.FindAsync(barcode, ct) is { } patron
                ? Results.Ok(patron)
                : Refusals.PatronNotFound(barcode).Result());

        api.MapGet("/items/{barcode}", async (string barcode, ItemLookup lookup, CancellationToken ct) =>
            await lookup.FindAsync(barcode, ct) is { } item
                ? Results.Ok(item)
                : Refusals.ItemNotFound(barcode).Result());
    }
}
