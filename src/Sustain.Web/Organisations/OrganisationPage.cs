using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Sustain.Web.Organisations;

/// <summary>
/// The base of every page under <c>/app/{org}</c>: resolves the caller's access through
/// <see cref="OrganisationAccess"/> once per organisation, and loads the page's data only for members.
/// An outsider gets the not-found page (a 404 when prerendered), with no hint that the organisation exists.
/// </summary>
public abstract class OrganisationPage : ComponentBase
{
    private string? resolvedFor;

    [Parameter]
    public string Org { get; set; } = "";

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private OrganisationAccess AccessResolver { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected OrgAccess? Access { get; private set; }

    protected bool Loading => resolvedFor != Org;

    protected bool IsAdmin => Access?.IsAdmin == true;

    protected string UserId { get; private set; } = "";

    protected override async Task OnParametersSetAsync()
    {
        if (resolvedFor != Org)
        {
            var user = (await AuthenticationState).User;
            UserId = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
            Access = await AccessResolver.ForUserAsync(Org, user);
            if (Access is null)
            {
                Navigation.NotFound();
                return;
            }
        }

        if (Access is not null)
            await LoadAsync();
        resolvedFor = Org;
    }

    /// <summary>Loads the page's data whenever the page's parameters are set; called only for members.</summary>
    protected virtual Task LoadAsync() => Task.CompletedTask;

    /// <summary>Re-reads the caller's role and organisation after a change, then the page's data.</summary>
    protected async Task ReloadAsync()
    {
        resolvedFor = null;
        await OnParametersSetAsync();
    }
}
