using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Sustain.Web.Organisations;

namespace Sustain.Web.Sboms.Pages;

/// <summary>
/// A signed-in page about one organisation: asks <see cref="OrganisationAccess"/> once, and leaves
/// <see cref="Caller"/> null for anyone who is not a member, so the page shows nothing of it.
/// </summary>
public abstract class OrganisationPage : ComponentBase
{
    [Parameter]
    public string Org { get; set; } = "";

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private OrganisationAccess Access { get; set; } = default!;

    protected OrgAccess? Caller { get; private set; }

    /// <summary>True once access has been decided (so "not found" is never shown while loading).</summary>
    protected bool Checked { get; private set; }

    private string? _checkedOrg;

    protected override async Task OnParametersSetAsync()
    {
        if (_checkedOrg != Org)
        {
            var user = (await AuthenticationState).User;
            Caller = user.FindFirstValue(ClaimTypes.NameIdentifier) is null ? null : await Access.ForUserAsync(Org, user);
            _checkedOrg = Org;
            Checked = true;
        }

        if (Caller is not null)
            await LoadAsync();
    }

    protected abstract Task LoadAsync();
}
