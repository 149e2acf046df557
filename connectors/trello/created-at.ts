// When Trello created an object. Trello ids are MongoDB ObjectIds, whose first 4 bytes are the
// creation time in Unix seconds (Trello's help: "Getting the time a card or board was created").

/** The creation time encoded in a Trello id (second precision). */
export function createdAt(id: string): Date {
  return new Date(Number.parseInt(id.slice(0, 8), 16) * 1000);
}
