using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Formats;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.Lookup;
using OfflineCirc.Web.People;
using OfflineCirc.Web.Sessions;

namespace OfflineCirc.Web.Pages.Sessions;

public class DetailsModel(SessionService sessions, UserScope scope, CircDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public OfflineSession? Session { get; private set; }
    public List<FileRow> Files { get; private set; } = [];
    public List<RejectedLine> Rejected { get; private set; } = [];
    public List<string> Workstations { get; private set; } = [];
    public IntakeSummary? LastUpload { get; private set; }
    public string? Message { get; private set; }
    public bool CanUpload => scope.CanUpload;
    public bool CanAdminister => scope.CanAdminister;
    public NodaTime.DateTimeZone Zone { get; private set; } = NodaTime.DateTimeZone.Utc;

    // The id comes from the route (/Sessions/Details/5); the old /Sessions/Details?id=5 of bookmarks and guides still binds.
    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, string? workstation, int delta, CancellationToken ct)
    {
        if (!scope.CanUpload)
        {
            return Forbid();
        }
        if (string.IsNullOrWhiteSpace(workstation))
        {
            ModelState.AddModelError("", "Choose the workstation the file was recorded on.");
        }
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("", "Choose a file to upload.");
        }
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else
        {
            try
            {
                await using var stream = file!.OpenReadStream();
                LastUpload = await sessions.UploadAsync(Id, workstation, delta, Path.GetFileName(file!.FileName), stream, ct);
            }
            catch (RefusalException ex) when (ex.Status == StatusCodes.Status404NotFound)
            {
                return NotFound();
            }
            catch (RefusalException ex)
            {
                ModelState.AddRefusal(Response, ex);
            }
            catch (UnreadableFileException ex)
            {
                ModelState.AddRefusal(Response, Refusals.UnreadableFile(ex.Message).Exception());
            }
        }
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public string When(DateTimeOffset? time) => TimeDisplay.Show(time, Zone);

    public async Task<IActionResult> OnPostCloseAsync(CancellationToken ct)
    {
        if (!scope.CanAdminister)
        {
            return Forbid();
        }
        var session = await sessions.FindAsync(Id, ct);
        if (session is null)
        {
            return NotFound();
        }
        try
        {
            await sessions.CloseAsync(session, ct);
            Message = "The session is closed.";
        }
        catch (RefusalException ex)
        {
            ModelState.AddModelError("", ex.Message);
        }
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Session = await sessions.FindAsync(Id, ct);
        if (Session is null)
        {
            return false;
        }
        Zone = TimeDisplay.Zone(Session.OrgUnit!.TimeZone);
        Files = await sessions.FilesAsync(Id, ct);
        Rejected = await sessions.RejectedAsync(Id, 200, ct);
        var path = Session.OrgUnit!.Path;
        Workstations = await db.Workstations.AsNoTracking().Where(w => w.OrgUnit!.Path.StartsWith(path))
            .OrderBy(w => w.Name).Select(w => w.Name).ToListAsync(ct);
        return true;
    }
}
