/** The one function of npm `qrcode` we use (the package ships no types). */
export function toString(
  text: string,
  options: {
    type: "svg";
    margin?: number;
    errorCorrectionLevel?: "L" | "M" | "Q" | "H";
    version?: number;
  },
): Promise<string>;
