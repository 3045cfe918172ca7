using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OfflineCirc.Web.Pages.Account;

public class AccessDeniedModel : PageModel
{
    // The cookie handler redirects here; the status tells scripts and tests what happened.
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
