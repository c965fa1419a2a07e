/** Intent labels for people: `lost_or_stolen_card` → `lost or stolen card`. */
export function humanizeIntent(label: string): string {
  return label.replace(/[_?]+/g, ' ').trim().toLowerCase();
}
