using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OfflineCirc.Web.Lookup;

namespace OfflineCirc.Web.Pages.Lookup;

public class PatronModel(PatronLookup lookup) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Barcode { get; set; }

    public PatronView? Patron { get; private set; }

    public NodaTime.DateTimeZone Zone { get; private set; } = NodaTime.DateTimeZone.Utc;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Patron = await lookup.FindAsync(Barcode, ct);
        if (Patron is null)
        {
            // Missing and out of reach look the same: nobody learns about other libraries' patrons.
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        Zone = TimeDisplay.Zone(Patron.HomeOrgTimeZone);
    }
}
