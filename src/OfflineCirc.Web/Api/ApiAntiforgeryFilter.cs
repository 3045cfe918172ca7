using Microsoft.AspNetCore.Antiforgery;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Api;

/// <summary>Cookie-authenticated state changes on the API must carry the anti-forgery header; bearer tokens need not.</summary>
public class ApiAntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var safe = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method);
        var byToken = http.User.Identity?.AuthenticationType == TokenAuthenticationHandler.SchemeName;
        if (!safe && !byToken && http.User.Identity?.IsAuthenticated == true)
        {
            try
            {
                await antiforgery.ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                return Results.Problem(
                    title: "The request is missing its anti-forgery token.",
                    detail: "Reload the page and try again; scripts should use a personal access token.",
                    statusCode: StatusCodes.Status400BadRequest);
            }
        }
        return await next(context);
    }
}
