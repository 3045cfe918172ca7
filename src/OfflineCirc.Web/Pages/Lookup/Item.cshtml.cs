using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OfflineCirc.Web.Lookup;

namespace OfflineCirc.Web.Pages.Lookup;

public class ItemModel(ItemLookup lookup) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Barcode { get; set; }

    public ItemView? Item { get; private set; }

    public NodaTime.DateTimeZone Zone { get; private set; } = NodaTime.DateTimeZone.Utc;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Item = await lookup.FindAsync(Barcode, ct);
        if (Item is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        Zone = TimeDisplay.Zone(Item.OwningOrgTimeZone);
    }
}
