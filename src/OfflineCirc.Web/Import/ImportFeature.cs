using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Import;

/// <summary>Wiring of this feature: its services and its API endpoints.</summary>
public static class ImportFeature
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<ImportService>();
    }

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/import/{kind}", ImportAsync).RequireAuthorization(PeopleSetup.AdministratorOrAbove);
    }

    /// <summary>POST /api/import/{kind}: the CSV as the body (text/csv) or as the multipart field "file".</summary>
    private static async Task<IResult> ImportAsync(string kind, HttpContext http, ImportService imports, UserScope scope, CancellationToken ct)
    {
        var importKind = ImportKinds.Find(kind);
        if (importKind is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no import kind '{kind}'.",
                detail: "Known kinds: " + string.Join(", ", ImportKinds.All.Select(k => k.Name)));
        }
        var actor = await ImportActor.FromAsync(scope, ct);
        if (actor is null || ImportService.Refusal(importKind, actor) is not null)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "You may not import this.",
                detail: actor is null ? "Importing reference data needs an administrator." : ImportService.Refusal(importKind, actor));
        }
        // Reference data can be far larger than an offline file; the import streams it, so no body limit applies.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
        var body = await CsvBodyAsync(http.Request, ct);
        if (body is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request has no file.",
                detail: "Send the CSV as the body with Content-Type text/csv, or as the multipart form field 'file'.");
        }
        var result = await imports.ImportAsync(importKind, body, actor, ct);
        if (!result.Succeeded)
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                title: $"The {result.Kind} file was not imported; nothing was stored.",
                detail: $"{result.Errors.Count} problem(s). Rows are lines of the file: row 1 is the header, row 2 the first data row.",
                extensions: new Dictionary<string, object?>
                {
                    ["kind"] = result.Kind,
                    ["rows"] = result.Rows,
                    ["errors"] = result.Errors.Select(e => new { row = e.Row, message = e.Message }).ToList(),
                });
        }
        return Results.Ok(new { kind = result.Kind, rows = result.Rows, inserted = result.Inserted, updated = result.Updated });
    }

    /// <summary>The CSV stream: the multipart section named "file" (read as it arrives, never buffered), else the body.</summary>
    private static async Task<Stream?> CsvBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return request.Body;
        }
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return null;
        }
        var reader = new MultipartReader(boundary, request.Body);
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                && HeaderUtilities.RemoveQuotes(disposition.Name).Equals("file", StringComparison.OrdinalIgnoreCase))
            {
                return section.Body;
            }
        }
        return null;
    }
}
