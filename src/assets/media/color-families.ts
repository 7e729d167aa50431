/** The families a dominant colour is filed under (media/visual-summary.ts names them), for search. */
export const COLOR_FAMILIES = ["black", "white", "gray", "red", "orange", "yellow", "green", "teal", "blue", "purple", "pink", "brown"] as const;
export type ColorFamily = (typeof COLOR_FAMILIES)[number];
