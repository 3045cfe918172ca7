using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Pages.Lookup;

/// <summary>One box for any barcode: a patron's card or an item. Searching changes nothing, so it is a plain GET.</summary>
public class IndexModel(CircDbContext db, UserScope scope) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Barcode { get; set; }

    public bool Searched { get; private set; }

    public bool IsPatron { get; private set; }

    public bool IsItem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var code = Barcode?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            return Page();
        }
        Searched = true;
        var path = await scope.SubtreePathAsync(ct);
        if (path is null)
        {
            return Page();
        }
        IsPatron = await db.Cards.AnyAsync(c => c.Barcode == code && c.Patron!.HomeOrg!.Path.StartsWith(path), ct);
        IsItem = await db.Items.AnyAsync(i => i.Barcode == code && i.OwningOrg!.Path.StartsWith(path), ct);
        if (IsPatron && !IsItem)
        {
            return RedirectToPage("Patron", new { barcode = code });
        }
        if (IsItem && !IsPatron)
        {
            return RedirectToPage("Item", new { barcode = code });
        }
        if (!IsPatron && !IsItem)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return Page();
    }
}
