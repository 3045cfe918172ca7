using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OfflineCirc.Web.Import;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Pages.Admin;

/// <summary>Upload a CSV of reference data; it lands whole, or every bad row is listed and nothing is stored.</summary>
[Authorize(Policy = PeopleSetup.AdministratorOrAbove)]
[RequestSizeLimit(2L * 1024 * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 2L * 1024 * 1024 * 1024)]
public class ImportModel(ImportService imports, UserScope scope) : PageModel
{
    [BindProperty]
    public string Kind { get; set; } = "";

    [BindProperty]
    public IFormFile? Upload { get; set; }

    public ImportResult? Result { get; private set; }

    public bool IsConsortiumAdministrator => scope.IsConsortiumAdministrator;

    public IReadOnlyList<ImportKind> Kinds => ImportKinds.All;

    public void OnGet(string? kind)
    {
        Kind = ImportKinds.Find(kind)?.Name ?? "";
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var kind = ImportKinds.Find(Kind);
        if (kind is null)
        {
            ModelState.AddModelError(nameof(Kind), "Choose what the file holds.");
        }
        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(nameof(Upload), "Choose a CSV file to upload.");
        }
        var actor = await ImportActor.FromAsync(scope, ct);
        if (actor is null)
        {
            return Forbid();
        }
        if (kind is not null && ImportService.Refusal(kind, actor) is { } refusal)
        {
            ModelState.AddModelError(nameof(Kind), refusal);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        await using var stream = Upload!.OpenReadStream();
        Result = await imports.ImportAsync(kind!, stream, actor, ct);
        if (!Result.Succeeded)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        return Page();
    }
}
