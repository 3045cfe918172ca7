namespace OfflineCirc.Web.Lookup;

/// <summary>Read-only look-up of patrons and items by barcode, scoped like the pages.</summary>
public static class LookupEndpoints
{
    public const string NotFoundTitle = "Not found in your libraries.";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/patrons/{barcode}", async (string barcode, PatronLookup lookup, CancellationToken ct) =>
            await lookup.FindAsync(barcode, ct) is { } patron
                ? Results.Ok(patron)
                : NotFound($"No patron with card {barcode} in your libraries."));

        api.MapGet("/items/{barcode}", async (string barcode, ItemLookup lookup, CancellationToken ct) =>
            await lookup.FindAsync(barcode, ct) is { } item
                ? Results.Ok(item)
                : NotFound($"No item with barcode {barcode} in your libraries."));
    }

    private static IResult NotFound(string detail) =>
        Results.Problem(title: NotFoundTitle, detail: detail, statusCode: StatusCodes.Status404NotFound);
}
