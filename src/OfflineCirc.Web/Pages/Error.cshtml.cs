using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OfflineCirc.Web.Pages;

/// <summary>Shown for any failed request, whatever its method, so a failed form post also gets words, not a bare 400.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public class ErrorModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status500InternalServerError;

    public void OnPost() => Response.StatusCode = StatusCodes.Status500InternalServerError;
}
