using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace OfflineCirc.Tests.Infrastructure;

/// <summary>A browser-like client: cookies, real login form, anti-forgery tokens taken from the pages.</summary>
public sealed partial class PortalClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public static PortalClient Create(AppFactory app) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public static HttpClient WithToken(AppFactory app, string token)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<HttpResponseMessage> LoginAsync(string email, string password)
    {
        return await PostFormAsync("/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = password });
    }

    public async Task<HttpResponseMessage> PostFormAsync(string url, Dictionary<string, string> fields, string? formPage = null)
    {
        var page = await Http.GetStringAsync(formPage ?? url);
        fields["__RequestVerificationToken"] = AntiforgeryToken(page);
        return await Http.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    /// <summary>Posts the page's own form for <paramref name="handler"/>, to the action the page gives, as a browser would.</summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string formPage, string handler, Dictionary<string, string> fields)
    {
        var page = await Http.GetStringAsync(formPage);
        fields["__RequestVerificationToken"] = AntiforgeryToken(page);
        return await Http.PostAsync(Reports.PageForms.Action(page, handler), new FormUrlEncodedContent(fields));
    }

    public async Task<HttpResponseMessage> PostMultipartAsync(string url, MultipartFormDataContent content, string formPage)
    {
        var page = await Http.GetStringAsync(formPage);
        content.Add(new StringContent(AntiforgeryToken(page)), "__RequestVerificationToken");
        return await Http.PostAsync(url, content);
    }

    /// <summary>POSTs JSON to the API with the cookie and the anti-forgery header, as the capture page does.</summary>
    public async Task<HttpResponseMessage> PostJsonAsync<T>(string url, T body)
    {
        var af = await Http.GetFromJsonAsync<AntiforgeryAnswer>("/api/antiforgery");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-CSRF-TOKEN", af!.Token);
        return await Http.SendAsync(request);
    }

    public static string AntiforgeryToken(string html)
    {
        var match = TokenPattern().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("The page has no anti-forgery token.");
    }

    /// <summary>Exchanges an account's password for a personal access token, as scripts do.</summary>
    public static async Task<string> RequestTokenAsync(HttpClient anonymous, string email, string password)
    {
        var response = await anonymous.PostAsJsonAsync("/api/auth/token", new { email, password, name = "tests" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenAnswer>())!.Token;
    }

    public void Dispose() => Http.Dispose();

    private sealed record AntiforgeryAnswer(string Token);

    private sealed record TokenAnswer(string Token);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
