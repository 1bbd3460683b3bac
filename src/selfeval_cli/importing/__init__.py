"""Reading a published report back into a data file: paragraphs → heading tree → fields."""
