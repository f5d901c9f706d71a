namespace Sustain.Web.Organisations;

public enum OrgTab
{
    Overview,
    Dependencies,
    Settings,
    Members,
    Tokens,
}
